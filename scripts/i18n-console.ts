/**
 * `npm run i18n:extract`: extracts the messages of the console and the studio (`ng extract-i18n`, JSON) into
 * the "console" section of libs/i18n/catalogs/en.json, then lists what the other languages lack.
 * `npm run i18n:check`: only the list (exit code 1 when something is wrong).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleCatalogProblems, writeConsoleMessages, type ConsoleMessages } from '../libs/i18n/src/console-catalog';

function extract(): void {
  const out = mkdtempSync(join(tmpdir(), 'pressroom-i18n-'));
  const merged: ConsoleMessages = {};
  try {
    for (const project of ['console', 'studio']) {
      execFileSync('npx', ['ng', 'extract-i18n', project, '--format', 'json', '--output-path', join(out, project)], {
        cwd: join(__dirname, '..', 'apps', 'console'),
        stdio: 'inherit',
      });
      const { translations } = JSON.parse(readFileSync(join(out, project, 'messages.json'), 'utf8')) as {
        translations: ConsoleMessages;
      };
      for (const [id, message] of Object.entries(translations)) {
        // The same message in both apps, written with other white space around it, is one message.
        if (merged[id] !== undefined && normalized(merged[id]) !== normalized(message)) {
          throw new Error(`${id} says "${merged[id]}" in one app and "${message}" in the other: give them two ids`);
        }
        merged[id] ??= message;
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  writeConsoleMessages('en', merged);
  console.log(`en.json: ${Object.keys(merged).length} console and studio messages`);
}

function normalized(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

if (process.argv[2] === 'extract') extract();
const problems = consoleCatalogProblems();
for (const problem of problems) console.log(problem);
if (process.argv[2] === 'check' && problems.length > 0) process.exit(1);
