import { IsIn, IsObject, IsUUID } from 'class-validator';
import {
  MEDIA_KINDS,
  TRACK_SOURCES,
  TRANSPORT_DIRECTIONS,
  type ActionRequest,
  type TrackSource,
  type TransportDirection,
} from '@pressroom/protocol';
import type { types } from 'mediasoup';

/** mediasoup's ids are UUIDs; it checks its parameter objects in depth itself, so here only their outline. */
const Id = () => IsUUID();

export class EmptyDto {}

export class CreateTransportDto implements ActionRequest<'studio:createTransport'> {
  @IsIn(TRANSPORT_DIRECTIONS) direction!: TransportDirection;
}

export class ConnectTransportDto {
  @Id() transportId!: string;
  @IsObject() dtlsParameters!: types.DtlsParameters;
}

export class ProduceDto {
  @Id() transportId!: string;
  @IsIn(MEDIA_KINDS) kind!: types.MediaKind;
  @IsObject() rtpParameters!: types.RtpParameters;
  @IsIn(TRACK_SOURCES) source!: TrackSource;
}

export class ConsumeDto {
  @Id() transportId!: string;
  @Id() producerId!: string;
  @IsObject() rtpCapabilities!: types.RtpCapabilities;
}

export class ConsumerRefDto implements ActionRequest<'studio:resumeConsumer'> {
  @Id() consumerId!: string;
}

export class ProducerRefDto implements ActionRequest<'studio:pauseProducer'> {
  @Id() producerId!: string;
}
