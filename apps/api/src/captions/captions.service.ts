import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CAPTIONS_IN_STATE, type CaptionCueView, type CaptionInterimView } from '@pressroom/protocol';
import { Between, EntityManager, Repository } from 'typeorm';
import { AppError } from '../common/app-error';
import type { EventPurgeStep } from '../common/event-purge';
import { newId } from '../common/ids';
import type { Session } from '../common/session';
import { EventsService } from '../events/events.service';
import { LiveNotifier } from '../realtime/live-notifier';
import { CaptionCue } from './caption-cue.entity';

/**
 * For whoever shows or watches captions in the server (the broadcast's subtitles, the crew's presence):
 * `cue` for every stored line as it is sent, `interim` for text still being typed (never stored).
 */
export interface CaptionsObserverEvents {
  cue: [eventId: string, cue: CaptionCueView];
  interim: [eventId: string, interim: CaptionInterimView];
}

export function toCaptionCueView(cue: CaptionCue): CaptionCueView {
  return {
    id: cue.id,
    language: cue.language,
    text: cue.text,
    sentAt: cue.sentAt.toISOString(),
    participantId: cue.participantId,
  };
}

/** Captioners' lines: stored as cues (final lines) or only relayed (interim text); moderators see both. */
@Injectable()
export class CaptionsService implements EventPurgeStep {
  readonly purgedEntities = [CaptionCue];
  readonly observer = new EventEmitter<CaptionsObserverEvents>();

  constructor(
    @InjectRepository(CaptionCue) private readonly cues: Repository<CaptionCue>,
    private readonly events: EventsService,
    private readonly notifier: LiveNotifier,
  ) {}

  /** A final line becomes a cue (returned); interim text is relayed to the moderators and returns null. */
  async send(session: Session, text: string, interim: boolean): Promise<CaptionCueView | null> {
    const language = session.language;
    if (!language) throw new AppError('invalid_state', 'This captioner invite has no language');
    EventsService.assertOpenForAudience(await this.events.findById(session.eventId));
    const sentAt = new Date();
    if (interim) {
      const view: CaptionInterimView = {
        participantId: session.participantId,
        language,
        text,
        at: sentAt.toISOString(),
      };
      this.notifier.toModerators(session.eventId, 'caption:interim', view);
      this.observer.emit('interim', session.eventId, view);
      return null;
    }
    if (!text) {
      throw new AppError(
        'bad_request',
        'text must not be empty: a caption line needs text (interim text may be empty)',
      );
    }
    const cue = await this.cues.save({
      id: newId(),
      eventId: session.eventId,
      participantId: session.participantId,
      language,
      text,
      sentAt,
    });
    const view = toCaptionCueView(cue);
    this.notifier.toModerators(session.eventId, 'caption:cue', view);
    this.observer.emit('cue', session.eventId, view);
    return view;
  }

  /** The latest cues of an event, oldest first (a moderator's `state`). */
  async recent(eventId: string, limit = CAPTIONS_IN_STATE): Promise<CaptionCueView[]> {
    const cues = await this.cues.find({ where: { eventId }, order: { sentAt: 'DESC' }, take: limit });
    return cues.reverse().map(toCaptionCueView);
  }

  /** The cues sent between two instants (inclusive), in order: e.g. a broadcast that restarts, the recording. */
  async between(eventId: string, from: Date, to: Date): Promise<CaptionCueView[]> {
    const cues = await this.cues.find({ where: { eventId, sentAt: Between(from, to) }, order: { sentAt: 'ASC' } });
    return cues.map(toCaptionCueView);
  }

  /** Every cue of the event, in the order sent (the transcript). */
  async transcript(eventId: string): Promise<CaptionCueView[]> {
    const cues = await this.cues.find({ where: { eventId }, order: { sentAt: 'ASC' } });
    return cues.map(toCaptionCueView);
  }

  /** The purge: the event's cues go (what was said); no count is kept. */
  async purgeEvent(manager: EntityManager, eventId: string): Promise<Record<string, never>> {
    await manager.delete(CaptionCue, { eventId });
    return {};
  }
}
