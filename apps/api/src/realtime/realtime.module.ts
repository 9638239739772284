import { Module } from '@nestjs/common';
import { LiveNotifier } from './live-notifier';

/** The notifier every domain uses to reach realtime clients; the gateway attaches it to socket.io. */
@Module({ providers: [LiveNotifier], exports: [LiveNotifier] })
export class RealtimeModule {}
