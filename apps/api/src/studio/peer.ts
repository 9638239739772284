import type { types } from 'mediasoup';
import {
  FLOOR_STUDIO_ROLES,
  type StudioPeerInfo,
  type StudioProducerInfo,
  type StudioRole,
  type TrackSource,
  withOutlet,
} from '@pressroom/protocol';
import { AppError, notFound } from '../common/app-error';

export interface ProducerAppData extends types.AppData {
  peerId: string;
  source: TrackSource;
}

const MAX_TRANSPORTS = 4;
const MAX_PRODUCERS = 4;

/**
 * One speaker (or moderator, journalist on stage as a guest, or crew member) in a studio room: owns their transports, which own their producers and
 * consumers. Closing the peer closes all of it.
 */
export class Peer {
  readonly #transports = new Map<string, types.WebRtcTransport>();
  readonly #producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly #consumers = new Map<string, types.Consumer>();
  #closed = false;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly role: StudioRole,
    /** The socket that joined: a newer one of the same participant takes the peer over. */
    readonly socketId: string,
    /** A guest's outlet. */
    readonly outlet: string | null = null,
    /** A captioner's or interpreter's language. */
    readonly language: string | null = null,
  ) {}

  /** Speakers, moderators and guests make the floor; the crew does not (`FLOOR_STUDIO_ROLES`). */
  get onFloor(): boolean {
    return FLOOR_STUDIO_ROLES.includes(this.role);
  }

  /** How the broadcast labels this peer's tile: a guest with their outlet. */
  get label(): string {
    return this.role === 'guest' ? withOutlet(this.name, this.outlet) : this.name;
  }

  get closed(): boolean {
    return this.#closed;
  }

  addTransport(transport: types.WebRtcTransport): void {
    if (this.#transports.size >= MAX_TRANSPORTS) {
      transport.close();
      throw new AppError('invalid_state', `At most ${MAX_TRANSPORTS} transports per peer`);
    }
    this.#transports.set(transport.id, transport);
    transport.observer.once('close', () => this.#transports.delete(transport.id));
  }

  transport(transportId: string): types.WebRtcTransport {
    const transport = this.#transports.get(transportId);
    if (!transport) throw notFound('Transport');
    return transport;
  }

  assertCanProduce(): void {
    if (this.#producers.size >= MAX_PRODUCERS)
      throw new AppError('invalid_state', `At most ${MAX_PRODUCERS} tracks per peer`);
  }

  addProducer(producer: types.Producer<ProducerAppData>): void {
    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => this.#producers.delete(producer.id));
  }

  producer(producerId: string): types.Producer<ProducerAppData> {
    const producer = this.#producers.get(producerId);
    if (!producer) throw notFound('Producer');
    return producer;
  }

  get producers(): types.Producer<ProducerAppData>[] {
    return [...this.#producers.values()];
  }

  addConsumer(consumer: types.Consumer): void {
    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
  }

  consumer(consumerId: string): types.Consumer {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw notFound('Consumer');
    return consumer;
  }

  info(): StudioPeerInfo {
    return {
      peerId: this.id,
      name: this.name,
      role: this.role,
      outlet: this.outlet,
      language: this.language,
      producers: this.producers.map(producerInfo),
    };
  }

  /** Closing the transports closes the producers and consumers on them. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const transport of this.#transports.values()) transport.close();
  }
}

export function producerInfo(producer: types.Producer<ProducerAppData>): StudioProducerInfo {
  return {
    producerId: producer.id,
    peerId: producer.appData.peerId,
    kind: producer.kind,
    source: producer.appData.source,
    paused: producer.paused,
  };
}
