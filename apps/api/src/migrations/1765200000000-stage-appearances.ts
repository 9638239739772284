import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Guest appearances on stage (the transcript lists them). TypeORM's table API: the same on SQLite and PostgreSQL. */
export class StageAppearances1765200000000 implements MigrationInterface {
  name = 'StageAppearances1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamp' : 'datetime';
    const ref = (name: string) => ({ name, type: 'varchar', length: '36' });
    await queryRunner.createTable(
      new Table({
        name: 'stage_appearance',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('eventId'),
          ref('participantId'),
          ref('handId'),
          { name: 'name', type: 'varchar', length: '80' },
          { name: 'outlet', type: 'varchar', length: '120' },
          { name: 'startedAt', type: timestamp },
          { name: 'endedAt', type: timestamp, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_stage_appearance_eventId', columnNames: ['eventId'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('stage_appearance');
  }
}
