export {
  StudioClient,
  type LiveEvent,
  type LiveEventName,
  type StudioState,
  type StudioClientEvents,
  type StudioFailure,
  type StudioInviteOptions,
  type StudioAccessOptions,
} from './studio-client';
export type { MediaPathOptions, MediaRoute, RemotePeer, RemoteTrack } from './studio-session';
export { StudioAccessError, StudioRequestError, type StudioAccessCode } from './signaling';
