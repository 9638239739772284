import { UI_LANGUAGES } from '@pressroom/protocol';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from './harness/api';
import { startServer, type TestServer } from './harness/server';

/** A stand-in for the viewer's build: index.html (English) and one page per language, as build.ts writes them. */
function fakeViewerBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-languages-'));
  mkdirSync(join(dir, 'viewer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'viewer', 'index.html'), '<html lang="en">');
  for (const language of UI_LANGUAGES)
    writeFileSync(join(dir, 'viewer', `index.${language}.html`), `<html lang="${language}">`);
  return dir;
}

describe("the event page arrives in its reader's language", () => {
  let server: TestServer;
  let webDir: string;
  let spanishEvent: string;
  let anyEvent: string;

  beforeAll(async () => {
    webDir = fakeViewerBuild();
    server = await startServer({ WEB_DIR: webDir });
    const moderator = await Api.asModerator(server.url);
    spanishEvent = (await moderator.createEvent({ title: 'Rueda de prensa', language: 'es' })).slug;
    anyEvent = (await moderator.createEvent({ title: 'Briefing' })).slug;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(server.url + path, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('vary')).toMatch(/Accept-Language.*Cookie|Cookie.*Accept-Language/);
    return (await response.text()).replace(/^<html lang="(\w+)">$/, '$1');
  };

  it("in the browser's preferred language the pages have (the first one, by weight), else English", async () => {
    expect(await page(`/${anyEvent}`, { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.8' })).toBe('fr');
    expect(await page(`/${anyEvent}`, { 'accept-language': 'pt-BR, nl;q=0.5, de;q=0.7' })).toBe('de');
    expect(await page(`/${anyEvent}`, { 'accept-language': 'pt-BR, ja' })).toBe('en');
    expect(await page('/', { 'accept-language': 'it-IT' })).toBe('it');
  });

  it("in the event's language when it has one, whatever the browser's", async () => {
    expect(await page(`/${spanishEvent}`, { 'accept-language': 'en-GB, en' })).toBe('es');
    expect(await page(`/${spanishEvent}`)).toBe('es');
  });

  it("in the reader's own pick from the language menu (its cookie) before anything else; a bad cookie is ignored", async () => {
    expect(await page(`/${spanishEvent}`, { cookie: 'other=1; pressroom_language=nl', 'accept-language': 'fr' })).toBe(
      'nl',
    );
    expect(await page(`/${anyEvent}`, { cookie: 'pressroom_language=xx', 'accept-language': 'de' })).toBe('de');
    expect(await page(`/no-such-event`, { cookie: 'pressroom_language=' })).toBe('en');
  });
});
