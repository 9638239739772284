import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { LoginResponse, ModeratorView } from '@pressroom/protocol';
import { CreateModeratorDto, LoginDto } from './auth.dto';
import { ModeratorGuard } from './moderator.guard';
import { ModeratorsService } from './moderators.service';
import { LoginThrottle } from '../common/throttles';

@ApiTags('access')
@Controller()
export class AuthController {
  constructor(private readonly moderators: ModeratorsService) {}

  @Post('auth/login')
  @HttpCode(200)
  @LoginThrottle()
  login(@Body() dto: LoginDto): Promise<LoginResponse> {
    return this.moderators.login(dto.email, dto.password);
  }

  @Get('moderators')
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  list(): Promise<ModeratorView[]> {
    return this.moderators.list();
  }

  @Post('moderators')
  @UseGuards(ModeratorGuard)
  @ApiBearerAuth()
  create(@Body() dto: CreateModeratorDto): Promise<ModeratorView> {
    return this.moderators.create(dto.email, dto.password);
  }
}
