import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns that hold names, outlets and what people wrote: the purge deletes them. */
const PERSONAL_COLUMNS: Record<string, string[]> = {
  participant: ['name', 'outlet'],
  speaker_invite: ['name'],
  chat_message: ['authorName', 'authorOutlet', 'text'],
  question: ['name', 'outlet', 'text'],
  hand: ['name', 'outlet', 'topic'],
};

/**
 * PostgreSQL's ANALYZE (which autovacuum runs by itself) copies sample values of every column into the
 * planner's statistics (`pg_statistic`), where deleting the rows does not reach them. Nothing filters
 * on these columns: they keep no statistics, and those already gathered are dropped (setting a
 * column's type to the type it has drops them without rewriting the table). SQLite keeps no samples of
 * columns that are not indexed: nothing to do there.
 */
export class PersonalColumnsWithoutStatistics1764860000000 implements MigrationInterface {
  name = 'PersonalColumnsWithoutStatistics1764860000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    for (const [table, columns] of Object.entries(PERSONAL_COLUMNS)) {
      for (const column of columns) {
        const type = await typeOf(queryRunner, table, column);
        await queryRunner.query(
          `ALTER TABLE "${table}" ALTER COLUMN "${column}" SET STATISTICS 0, ALTER COLUMN "${column}" TYPE ${type}`,
        );
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    for (const [table, columns] of Object.entries(PERSONAL_COLUMNS)) {
      for (const column of columns) {
        await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" SET STATISTICS -1`);
      }
    }
  }
}

async function typeOf(queryRunner: QueryRunner, table: string, column: string): Promise<string> {
  const rows = (await queryRunner.query(
    'SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2',
    [`"${table}"`, column],
  )) as Array<{ type: string }>;
  if (!rows[0]) throw new Error(`no column ${table}.${column}`);
  return rows[0].type;
}
