import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Where an event's program is pushed while it is live: an RTMP(S) ingest and its stream key. The key is
 * read only to start a push; moderators see it masked. Purged with the event.
 */
@Entity('restream_destination')
export class RestreamDestination {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  /** `rtmp://host/app` or `rtmps://host:443/app`, without the key. */
  @Column({ type: 'varchar', length: 500 })
  url!: string;

  @Column({ type: 'varchar', length: 500 })
  streamKey!: string;

  @Column({ type: Date })
  createdAt!: Date;
}
