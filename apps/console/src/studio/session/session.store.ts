import { inject, Injectable, signal } from '@angular/core';
import type { JoinResponse, PublicEvent, Role } from '@pressroom/protocol';
import type { LiveEvent, StudioClient } from '@pressroom/studio-client';
import { DeviceCheckStore } from '../device-check/device-check.store';
import { CaptionerStore } from '../crew/captioner.store';
import type { LocalSource } from '../device-check/media-devices';
import { QuestionsStore } from '../questions/questions.store';
import { StageStore } from '../stage/stage.store';
import { closureFor, codeOf, type Closure, type ClosureCode, type Moment } from './closures';
import { StudioConnector } from './studio-connector';

/**
 * `loading`: checking the invite; `checking`: the device check; `joining`: entering the studio; `live`:
 * in it; `left`: the speaker left; `closed`: the visit cannot go on (see `closure`).
 */
export type Phase = 'loading' | 'checking' | 'joining' | 'live' | 'left' | 'closed';

const isOver = (event: PublicEvent) => event.status === 'ended' || event.status === 'purged';

/** The devices each invite's job needs (the server refuses the others: `CREW_TRACK_SOURCES`). */
const SOURCES_OF: Partial<Record<Role, readonly LocalSource[]>> = {
  captioner: [],
  interpreter: ['microphone'],
  signer: ['camera'],
};

/**
 * One speaker's visit from the invite link to leaving: checks the invite, runs the device check,
 * joins, hands the studio to the stage and the questions to their store, and explains any ending.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  readonly #connector = inject(StudioConnector);
  readonly #devices = inject(DeviceCheckStore);
  readonly #stage = inject(StageStore);
  readonly #questions = inject(QuestionsStore);
  readonly #captions = inject(CaptionerStore);

  readonly #phase = signal<Phase>('loading');
  readonly #event = signal<PublicEvent | null>(null);
  readonly #speakerName = signal<string | null>(null);
  readonly #closure = signal<Closure | null>(null);
  readonly #joinProblem = signal<string | null>(null);
  readonly #role = signal<Role>('speaker');
  readonly #language = signal<string | null>(null);

  readonly phase = this.#phase.asReadonly();
  readonly event = this.#event.asReadonly();
  /** The name on the invite, once in the studio. */
  readonly speakerName = this.#speakerName.asReadonly();
  readonly closure = this.#closure.asReadonly();
  /** Why the last attempt to join failed, when trying again may work. */
  readonly joinProblem = this.#joinProblem.asReadonly();
  /** What the invite is for: a speaker, or a crew member (captioner, interpreter, signer). */
  readonly role = this.#role.asReadonly();
  /** A captioner's or interpreter's language, once in the studio. */
  readonly language = this.#language.asReadonly();

  #link: { slug: string; invite: string } | null = null;
  #access: JoinResponse | null = null;
  #client: StudioClient | null = null;
  #stopListening: Array<() => void> = [];

  /** Checks the invite link and the event, then starts the device check. */
  async open(slug: string, invite: string | undefined): Promise<void> {
    this.#link = slug && invite ? { slug, invite } : null;
    if (!this.#link) return this.#close('incomplete_link', 'invite');
    this.#phase.set('loading');
    this.#closure.set(null);
    try {
      const [event, access] = await Promise.all([
        this.#connector.event(slug),
        this.#connector.access(slug, this.#link.invite),
      ]);
      this.#event.set(event);
      this.#access = access;
      this.#role.set(access.role);
      this.#language.set(access.language ?? null);
    } catch (error) {
      return this.#close(codeOf(error), 'invite');
    }
    if (isOver(this.#event()!)) return this.#close('event_closed', 'invite');
    this.#check();
  }

  /** Enters the studio and sends what the device check opened. */
  async join(): Promise<void> {
    if (this.#phase() !== 'checking' || !this.#devices.canJoin()) return;
    this.#phase.set('joining');
    this.#joinProblem.set(null);
    let client: StudioClient;
    try {
      client = await this.#connect();
    } catch (error) {
      const closure = closureFor(codeOf(error), 'invite');
      if (!closure.canRetry) return this.#close(codeOf(error), 'invite');
      this.#joinProblem.set(`${closure.heading}. ${closure.message}`);
      this.#phase.set('checking');
      return;
    }
    this.#client = client;
    this.#stopListening = [
      client.on('live', (event) => this.#receive(event)),
      client.on('state', (state) => {
        if (state === 'failed') this.#close(client.failure?.code ?? 'disconnected', 'stay');
      }),
    ];
    this.#phase.set('live');
    if (this.#role() === 'captioner') this.#captions.enter(client);
    await this.#stage.enter(client);
  }

  async leave(): Promise<void> {
    if (this.#phase() !== 'live') return;
    this.#phase.set('left');
    await this.#endStay();
  }

  /** After leaving, or after an ending that may be retried: back to the device check. */
  async rejoin(): Promise<void> {
    const phase = this.#phase();
    if (phase === 'left') return this.#check();
    if (phase === 'closed' && this.#closure()?.canRetry && this.#link) {
      this.#access = null;
      await this.open(this.#link.slug, this.#link.invite);
    }
  }

  #check(): void {
    this.#joinProblem.set(null);
    this.#phase.set('checking');
    void this.#devices.start(SOURCES_OF[this.#role()]);
  }

  /** An access token may have expired while the page stayed open: the invite then gets a new one. */
  async #connect(): Promise<StudioClient> {
    const { slug, invite } = this.#link!;
    for (let attempt = 0; ; attempt++) {
      this.#access ??= await this.#connector.access(slug, invite);
      try {
        return await this.#connector.connect(this.#access);
      } catch (error) {
        if (attempt > 0 || codeOf(error) !== 'unauthorized') throw error;
        this.#access = null;
      }
    }
  }

  #receive(event: LiveEvent): void {
    switch (event.name) {
      case 'state':
        this.#event.set(event.payload.event);
        this.#speakerName.set(event.payload.me.name);
        this.#language.set(event.payload.me.language ?? this.#language());
        this.#questions.reset(event.payload.questions);
        break;
      case 'event:status':
        this.#event.set(event.payload.event);
        break;
      default:
        this.#questions.apply(event);
        return;
    }
    if (isOver(this.#event()!)) this.#close('event_closed', 'stay');
  }

  #close(code: ClosureCode, moment: Moment): void {
    this.#closure.set(closureFor(code, moment));
    this.#phase.set('closed');
    void this.#endStay();
  }

  /** Leaves the studio (if in it) and lets the devices go. */
  async #endStay(): Promise<void> {
    for (const stop of this.#stopListening.splice(0)) stop();
    const client = this.#client;
    this.#client = null;
    this.#stage.exit();
    this.#captions.exit();
    this.#questions.clear();
    this.#devices.stop();
    await client?.leave();
  }
}
