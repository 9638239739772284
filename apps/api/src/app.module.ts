import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from './access/access.module';
import { AuthModule } from './auth/auth.module';
import { AccessThrottlerModule } from './common/throttles';
import { BroadcastModule } from './broadcast/broadcast.module';
import { CaptionsModule } from './captions/captions.module';
import { ChatModule } from './chat/chat.module';
import { loggerOptions } from './common/logging';
import { RateLimitsModule } from './common/rate-limit';
import { AppConfigModule } from './config/config.module';
import type { Environment } from './config/environment';
import { dataSourceOptions } from './database/data-source-options';
import { CrewModule } from './crew/crew.module';
import { DemoModule } from './demo/demo.module';
import { EventsModule } from './events/events.module';
import { HandsModule } from './hands/hands.module';
import { HealthModule } from './health/health.module';
import { ModerationModule } from './moderation/moderation.module';
import { PrivacyModule } from './privacy/privacy.module';
import { QuestionsModule } from './questions/questions.module';
import { RecordingModule } from './recording/recording.module';
import { RestreamModule } from './restream/restream.module';
import { MediaModule } from './media/media.module';
import { LiveModule } from './live/live.module';
import { StageModule } from './stage/stage.module';
import { StudioModule } from './studio/studio.module';

@Module({})
export class AppModule {
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(environment),
        LoggerModule.forRoot(loggerOptions(environment)),
        TypeOrmModule.forRoot(dataSourceOptions(environment.DATABASE_URL)),
        PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: false } }),
        AccessThrottlerModule,
        RateLimitsModule,
        AuthModule,
        AccessModule,
        EventsModule,
        ChatModule,
        QuestionsModule,
        HandsModule,
        CaptionsModule,
        ModerationModule,
        PrivacyModule,
        LiveModule,
        MediaModule,
        StageModule,
        StudioModule,
        CrewModule,
        BroadcastModule,
        RecordingModule,
        RestreamModule,
        HealthModule,
        DemoModule,
      ],
    };
  }
}
