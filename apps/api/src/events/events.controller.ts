import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { EventDetails, PublicEvent } from '@pressroom/protocol';
import { CurrentModerator, ModeratorGuard } from '../auth/moderator.guard';
import { CreateEventDto, UpdateEventDto } from './event.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  create(@Body() dto: CreateEventDto, @CurrentModerator() moderatorId: string): Promise<EventDetails> {
    return this.events.create(dto, moderatorId);
  }

  @Get()
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  list(): Promise<EventDetails[]> {
    return this.events.list();
  }

  /** What the audience page needs; no secrets. */
  @Get(':slug')
  publicEvent(@Param('slug') slug: string): Promise<PublicEvent> {
    return this.events.publicBySlug(slug);
  }

  @Get(':slug/details')
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  details(@Param('slug') slug: string): Promise<EventDetails> {
    return this.events.detailsBySlug(slug);
  }

  @Patch(':slug')
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  update(@Param('slug') slug: string, @Body() dto: UpdateEventDto): Promise<EventDetails> {
    return this.events.update(slug, dto);
  }

  @Post(':slug/start')
  @HttpCode(200)
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  start(@Param('slug') slug: string): Promise<EventDetails> {
    return this.events.start(slug);
  }

  @Post(':slug/end')
  @HttpCode(200)
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  end(@Param('slug') slug: string): Promise<EventDetails> {
    return this.events.end(slug);
  }
}
