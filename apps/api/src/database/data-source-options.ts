import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../migrations';

/** TypeORM options for `sqlite:<path>` (better-sqlite3, WAL) or `postgres://…`, shared by the app and the CLI. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: true } as const;
  if (databaseUrl.startsWith('sqlite:')) {
    const database = resolve(databaseUrl.slice('sqlite:'.length));
    mkdirSync(dirname(database), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      prepareDatabase: (db: { pragma(statement: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 5000');
      },
    };
  }
  return { ...common, type: 'postgres', url: databaseUrl };
}
