export {
  LiveConnection,
  type LiveConnectionOptions,
  type LiveFailure,
  type LiveReply,
  type LiveStatus,
  type LiveStatusChange,
} from './live-connection';
export { ApiClient, ApiError, type ApiClientOptions, type ApiErrorCode, type DownloadedFile } from './api-client';
