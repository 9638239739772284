import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('moderator')
export class Moderator {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  @Column({ type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ type: Date })
  createdAt!: Date;
}
