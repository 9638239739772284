import { Injectable } from '@nestjs/common';
import { AccessService, type WatchRules } from '../access/access.service';
import { EventsService } from '../events/events.service';
import type { PressEvent } from '../events/press-event.entity';

type EventWatchRules = WatchRules & { status: PressEvent['status'] };

/** Who asks, as far as the answer goes. */
export interface HlsViewer {
  /** The answer is for this viewer only (a password-protected event): no shared cache, no other origin. */
  private: boolean;
  eventId: string;
  status: PressEvent['status'];
}

/**
 * How long an event's watch rules (its password, who is banned) are reused. Under a second, so a ban or a
 * new password ends a stream pass within one playlist refresh (players ask every second), on every API
 * node, without a message between them.
 */
export const WATCH_RULES_CACHE_MS = 500;

/**
 * Who may fetch an event's HLS: anyone when it has no password, else a browser with the stream pass it
 * got when joining, of a participant not banned since, for the password as it is now. Every viewer asks
 * for the playlist every second and for a segment as often: the rules are read once per event (two small
 * queries) at most every `WATCH_RULES_CACHE_MS`, shared by every request meanwhile, so the load does not
 * grow with the audience; each request then only verifies its pass's signature. The playlist and the
 * segments get the same check: it costs no more.
 */
@Injectable()
export class HlsAccess {
  private readonly rules = new Map<string, { rules: Promise<EventWatchRules>; at: number }>();

  constructor(
    private readonly eventsService: EventsService,
    private readonly access: AccessService,
  ) {}

  /**
   * Throws unless allowed; tells whether the answer is for this viewer only (not for a shared cache), and
   * the event's id and status as read at most `WATCH_RULES_CACHE_MS` ago.
   */
  async check(slug: string, pass: string | undefined): Promise<HlsViewer> {
    const rules = await this.rulesOf(slug);
    await this.access.assertMayWatch(rules, pass);
    return { private: rules.passwordFingerprint !== null, eventId: rules.eventId, status: rules.status };
  }

  private rulesOf(slug: string): Promise<EventWatchRules> {
    const cached = this.rules.get(slug);
    if (cached && Date.now() - cached.at < WATCH_RULES_CACHE_MS) return cached.rules;
    // One read for all the requests that arrive meanwhile; a failure (no such event) is not kept.
    const rules = this.eventsService
      .findBySlug(slug)
      .then(async (event) => ({ ...(await this.access.watchRules(event)), status: event.status }));
    if (this.rules.size > 1000) this.rules.clear();
    this.rules.set(slug, { rules, at: Date.now() });
    void rules.catch(() => {
      if (this.rules.get(slug)?.rules === rules) this.rules.delete(slug);
    });
    return rules;
  }
}
