export {
  StudioClient,
  type StudioState,
  type StudioClientEvents,
  type StudioInviteOptions,
  type StudioAccessOptions,
} from './studio-client';
export type { RemotePeer, RemoteTrack } from './studio-session';
export { StudioRequestError } from './signaling';
