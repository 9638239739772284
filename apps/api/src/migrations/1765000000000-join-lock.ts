import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Moderators can lock joining an event. TypeORM's table API: the same migration on SQLite and PostgreSQL. */
export class JoinLock1765000000000 implements MigrationInterface {
  name = 'JoinLock1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'press_event',
      new TableColumn({ name: 'joinLocked', type: 'boolean', isNullable: false, default: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('press_event', 'joinLocked');
  }
}
