// The TypeORM CLI's data source, e.g. `npm run typeorm -- migration:generate apps/api/src/migrations/Name`.
// The app itself runs pending migrations at start.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnvironment } from './apps/api/src/config/environment';
import { dataSourceOptions } from './apps/api/src/database/data-source-options';

export default new DataSource({
  ...dataSourceOptions(validateEnvironment(process.env).DATABASE_URL),
  migrationsRun: false,
});
