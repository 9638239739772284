import 'reflect-metadata';
import { createApp } from './app.factory';
import { ModeratorsService } from './auth/moderators.service';
import { logFormat } from './common/logging';
import { validateEnvironment } from './config/environment';
import { DemoService } from './demo/demo.service';
import { printWelcome } from './welcome';

async function main(): Promise<void> {
  const environment = validateEnvironment(process.env);
  const app = await createApp(environment);
  const admin = await app.get(ModeratorsService).ensureFirstModerator();
  await app.listen(environment.PORT, environment.HOST);
  const publicUrl = environment.PUBLIC_URL ?? `http://localhost:${environment.PORT}`;
  const demo = process.argv.includes('--demo') ? await app.get(DemoService).ensureDemoEvent(admin.id) : null;
  printWelcome({ format: logFormat(environment), publicUrl, admin, demo });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
