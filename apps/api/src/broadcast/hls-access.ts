import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';

const CACHE_MS = 5_000;

/**
 * Who may fetch an event's HLS: anyone when it has no password, else a browser with the stream pass it
 * got when joining. Segment requests come every second from every viewer: the event is looked up at
 * most every few seconds per slug.
 */
@Injectable()
export class HlsAccess {
  private readonly events = new Map<string, { event: PressEvent; at: number }>();

  constructor(
    private readonly eventsService: EventsService,
    private readonly access: AccessService,
  ) {}

  /** Throws unless allowed; tells whether the answer is for this viewer only (not for a shared cache). */
  async check(slug: string, pass: string | undefined): Promise<{ private: boolean }> {
    const event = await this.event(slug);
    await this.access.assertMayWatch(event, pass);
    return { private: event.passwordHash !== null };
  }

  private async event(slug: string): Promise<PressEvent> {
    const cached = this.events.get(slug);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.event;
    const event = await this.eventsService.findBySlug(slug);
    if (this.events.size > 1000) this.events.clear();
    this.events.set(slug, { event, at: Date.now() });
    return event;
  }
}
