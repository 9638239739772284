/** The studio's signalling over `/live`: speakers (and moderators) exchanging WebRTC media through the SFU. */

/**
 * mediasoup's parameter objects travel as they are; each side types them with its own mediasoup
 * library (server and client versions differ), so here they are opaque JSON objects.
 */
type MediasoupObject = { readonly [key: string]: unknown };
export type RtpCapabilities = MediasoupObject;
export type RtpParameters = MediasoupObject;
export type DtlsParameters = MediasoupObject;
export type IceParameters = MediasoupObject;
export type IceCandidate = MediasoupObject;

/** What a track carries. */
export const MEDIA_KINDS = ['audio', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Where a speaker's track comes from. */
export const TRACK_SOURCES = ['microphone', 'camera', 'screen'] as const;
export type TrackSource = (typeof TRACK_SOURCES)[number];

/** A transport sends this client's media, or receives the others'. */
export const TRANSPORT_DIRECTIONS = ['send', 'recv'] as const;
export type TransportDirection = (typeof TRANSPORT_DIRECTIONS)[number];

export interface StudioProducerInfo {
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: TrackSource;
  paused: boolean;
}

import type { CrewRole } from './crew';

/** Who is in the studio: a speaker, a moderator, a journalist on stage as a guest, or a crew member. */
export type StudioRole = 'speaker' | 'moderator' | 'guest' | CrewRole;
/** Whose sound and picture make the floor (the studio's grid and mix): not the crew. */
export const FLOOR_STUDIO_ROLES: readonly StudioRole[] = ['speaker', 'moderator', 'guest'];

export interface StudioPeerInfo {
  /** The participant id of the speaker, moderator or guest. */
  peerId: string;
  name: string;
  role: StudioRole;
  /** A guest's outlet (null for speakers and moderators). */
  outlet: string | null;
  /** A captioner's or interpreter's language (BCP 47); null for everyone else. */
  language: string | null;
  producers: StudioProducerInfo[];
}

/**
 * A TURN server for the browser's `RTCPeerConnection` (`iceServers`), with a time-limited credential made
 * for this participant (coturn's REST scheme: the username is `<expiry unix time>:<participant id>`).
 */
export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}

export interface TransportOptions {
  id: string;
  iceParameters: IceParameters;
  /** The media server's UDP and TCP candidates (UDP preferred). */
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  /** The TURN servers to use when nothing else gets through; empty when the server has none (TURN_URLS). */
  iceServers: IceServer[];
}

export interface ConsumerOptions {
  consumerId: string;
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: TrackSource;
  rtpParameters: RtpParameters;
  /** The consumer starts paused: resume it with `studio:resumeConsumer` once the client has it. */
  producerPaused: boolean;
}

export interface StudioActions {
  /** Enters the studio: the router's capabilities and who is already there. */
  'studio:join': {
    request: Record<string, never>;
    reply: { routerRtpCapabilities: RtpCapabilities; peers: StudioPeerInfo[] };
  };
  'studio:leave': { request: Record<string, never>; reply: object };
  'studio:createTransport': { request: { direction: TransportDirection }; reply: { transport: TransportOptions } };
  'studio:connectTransport': { request: { transportId: string; dtlsParameters: DtlsParameters }; reply: object };
  'studio:produce': {
    request: { transportId: string; kind: MediaKind; rtpParameters: RtpParameters; source: TrackSource };
    reply: { producerId: string };
  };
  'studio:consume': {
    request: { transportId: string; producerId: string; rtpCapabilities: RtpCapabilities };
    reply: { consumer: ConsumerOptions };
  };
  'studio:resumeConsumer': { request: { consumerId: string }; reply: object };
  'studio:pauseProducer': { request: { producerId: string }; reply: object };
  'studio:resumeProducer': { request: { producerId: string }; reply: object };
  'studio:closeProducer': { request: { producerId: string }; reply: object };
}

export interface StudioServerEvents {
  'studio:peerJoined': StudioPeerInfo;
  'studio:peerLeft': { peerId: string };
  'studio:newProducer': StudioProducerInfo;
  'studio:producerClosed': { producerId: string; peerId: string };
  'studio:producerPaused': { producerId: string; peerId: string; paused: boolean };
  /** A consumer of this client ended (its producer left): drop the track. */
  'studio:consumerClosed': { consumerId: string };
  /** The loudest speaker, or null in silence. */
  'studio:activeSpeaker': { peerId: string | null };
  /** The media server behind the studio restarted: join again (clients do this by themselves). */
  'studio:reset': { reason: string };
}
