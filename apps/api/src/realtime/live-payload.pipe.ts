import { Injectable } from '@nestjs/common';
import { PayloadValidationPipe } from '../common/validation';

/** Realtime payloads: the message body of every handler (everything but the session decorator). */
@Injectable()
export class LivePayloadPipe extends PayloadValidationPipe {
  constructor() {
    super((metadata) => metadata.type !== 'custom');
  }
}
