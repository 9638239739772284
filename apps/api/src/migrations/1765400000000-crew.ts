import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * The crew: invites carry a role and a language, and captioners' lines are kept as caption cues until
 * the purge. TypeORM's table API: the same on SQLite and PostgreSQL. The cue's text is personal data
 * (what someone said): on PostgreSQL it keeps no planner statistics (see
 * `PersonalColumnsWithoutStatistics1764860000000`).
 */
export class Crew1765400000000 implements MigrationInterface {
  name = 'Crew1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
    await queryRunner.addColumns('speaker_invite', [
      new TableColumn({ name: 'role', type: 'varchar', length: '16', isNullable: false, default: "'speaker'" }),
      new TableColumn({ name: 'language', type: 'varchar', length: '35', isNullable: true }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'caption_cue',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('eventId'),
          ref('participantId'),
          { name: 'language', type: 'varchar', length: '35' },
          { name: 'text', type: 'text' },
          { name: 'sentAt', type: postgres ? 'timestamp' : 'datetime' },
        ],
        indices: [new TableIndex({ name: 'IDX_caption_cue_eventId_sentAt', columnNames: ['eventId', 'sentAt'] })],
      }),
    );
    if (postgres) await queryRunner.query('ALTER TABLE "caption_cue" ALTER COLUMN "text" SET STATISTICS 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('caption_cue');
    await queryRunner.dropColumn('speaker_invite', 'language');
    await queryRunner.dropColumn('speaker_invite', 'role');
  }
}
