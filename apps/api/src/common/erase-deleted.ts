import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Makes rows deleted from these entities' tables unreadable on disk, not only to queries.
 *
 * SQLite overwrites deleted rows with zeros as they go (`secure_delete`, set on every connection), but
 * its write-ahead log still holds the pages as they were: it is checkpointed and truncated.
 * PostgreSQL keeps a deleted row's bytes in the table's file, and plain VACUUM only marks that space
 * free (the bytes stay until a new row happens to reuse it): VACUUM FULL rewrites the tables and
 * their indexes into new files. It locks each table while it runs: its cost grows with the rows the
 * table still holds (the events not purged yet), not with the purged ones. (The planner's statistics
 * keep no samples of the personal columns: see the migration PersonalColumnsWithoutStatistics.)
 */
export async function eraseDeletedRows(
  dataSource: DataSource,
  entities: readonly EntityTarget<ObjectLiteral>[],
): Promise<void> {
  if (dataSource.options.type === 'postgres') {
    const tables = [...new Set(entities.map((entity) => dataSource.getMetadata(entity).tablePath))];
    await dataSource.query(`VACUUM FULL ${tables.map((table) => `"${table}"`).join(', ')}`);
    return;
  }
  const [checkpoint] = (await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)')) as Array<{ busy: number }>;
  if (checkpoint?.busy) throw new Error('the write-ahead log is in use by another connection');
}
