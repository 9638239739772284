import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { RestreamDestinationView } from '@pressroom/protocol';
import { ModeratorGuard } from '../auth/moderator.guard';
import { CreateRestreamDestinationDto, UpdateRestreamDestinationDto } from './restream.dto';
import { RestreamService } from './restream.service';

/** An event's restream destinations, for moderators: the stream key goes in, never out. */
@ApiTags('restream')
@ApiBearerAuth()
@UseGuards(ModeratorGuard)
@Controller('events/:slug/restream')
export class RestreamController {
  constructor(private readonly restream: RestreamService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The event's destinations, keys masked, with each push's status" })
  list(@Param('slug') slug: string): Promise<RestreamDestinationView[]> {
    return this.restream.list(slug);
  }

  @Post()
  @ApiOperation({ summary: 'Adds a destination (before the event goes live)' })
  @ApiResponse({ status: 400, description: 'Not rtmp:// or rtmps://, too long, or a key with spaces' })
  @ApiResponse({ status: 409, description: 'The event is live or ended, or has as many destinations as it may' })
  add(@Param('slug') slug: string, @Body() dto: CreateRestreamDestinationDto): Promise<RestreamDestinationView> {
    return this.restream.add(slug, dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes a destination (before the event goes live); a new key replaces the old one' })
  update(
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() dto: UpdateRestreamDestinationDto,
  ): Promise<RestreamDestinationView> {
    return this.restream.update(slug, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes a destination (before the event goes live)' })
  async remove(@Param('slug') slug: string, @Param('id') id: string): Promise<void> {
    await this.restream.remove(slug, id);
  }
}
