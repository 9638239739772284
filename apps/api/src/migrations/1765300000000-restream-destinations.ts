import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Events' restream destinations (RTMP(S) ingests and their stream keys). TypeORM's table API: the same on SQLite and PostgreSQL. */
export class RestreamDestinations1765300000000 implements MigrationInterface {
  name = 'RestreamDestinations1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamp' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'restream_destination',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'eventId', type: 'varchar', length: '36' },
          { name: 'name', type: 'varchar', length: '80' },
          { name: 'url', type: 'varchar', length: '500' },
          { name: 'streamKey', type: 'varchar', length: '500' },
          { name: 'createdAt', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'IDX_restream_destination_eventId', columnNames: ['eventId'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('restream_destination');
  }
}
