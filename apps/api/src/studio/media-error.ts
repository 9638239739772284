import { AppError } from '../common/app-error';

/**
 * mediasoup refuses malformed parameters with TypeError (and UnsupportedError for codecs it cannot
 * route): those are the client's fault and leave as `bad_request`; anything else is ours.
 */
export async function clientMediaCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TypeError || (error instanceof Error && error.name === 'UnsupportedError')) {
      throw new AppError('bad_request', error.message);
    }
    throw error;
  }
}
