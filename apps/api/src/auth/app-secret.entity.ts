import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Secrets generated on first start, shared by every API node through the database. */
@Entity('app_secret')
export class AppSecret {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text' })
  value!: string;
}
