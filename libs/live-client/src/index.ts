export {
  LiveConnection,
  type LiveConnectionOptions,
  type LiveFailure,
  type LiveReply,
  type LiveStatus,
  type LiveStatusChange,
} from './live-connection';
