import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../migrations';

/** TypeORM options for `sqlite:<path>` (better-sqlite3, WAL) or `postgres://…`, shared by the app and the CLI. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: true } as const;
  if (databaseUrl.startsWith('sqlite:')) {
    const database = resolve(databaseUrl.slice('sqlite:'.length));
    mkdirSync(dirname(database), { recursive: true, mode: 0o700 });
    keepToOwner(database);
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      prepareDatabase: (db: { pragma(statement: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 5000');
        // Deleted rows are overwritten with zeros, not just unlinked: the purge leaves nothing to read back.
        db.pragma('secure_delete = ON');
      },
    };
  }
  return { ...common, type: 'postgres', url: databaseUrl };
}

/**
 * The database holds personal data and, unless PRESSROOM_SECRET is set, the token signing key: it is
 * created readable by the service's user only (SQLite gives its -wal and -shm files the database
 * file's mode), and the files of an older install are restricted at start.
 */
function keepToOwner(database: string): void {
  closeSync(openSync(database, 'a', 0o600));
  for (const file of [database, `${database}-wal`, `${database}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
