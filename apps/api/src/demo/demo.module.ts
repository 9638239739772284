import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EventsModule } from '../events/events.module';
import { DemoService } from './demo.service';

@Module({ imports: [EventsModule, AccessModule], providers: [DemoService], exports: [DemoService] })
export class DemoModule {}
