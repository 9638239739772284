import type { CaptionCueView, EventDetails, SpeakerInviteView } from '@pressroom/protocol';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { ADMIN, startServer, type TestServer } from '../e2e/harness/server';
import { eventually, launchChromium, watchRequests, type WatchedRequests } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const STUDIO_PAGE = join(WEB_DIR, 'studio', 'index.html');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');

/**
 * The crew's pages of the studio app (the production build in dist/studio), in Debian's Chromium: a
 * speaker publishes (fake camera, a tone as microphone), the captioner's page plays the studio's sound
 * and sends the lines typed with the keyboard; the interpreter's page checks and publishes only a
 * microphone. The moderator is a socket.io client that sees the cues and the crew's states.
 */
describe("crew pages: the captioner's, the interpreter's, the signer's, and the control room's crew", () => {
  jest.setTimeout(90_000);
  let server: TestServer;
  let browser: Browser;
  const watched: WatchedRequests[] = [];
  let moderatorApi: Api;
  let moderator: LiveClient;
  let event: EventDetails;
  let speaker: Page;
  let captioner: Page;

  beforeAll(async () => {
    if (!existsSync(STUDIO_PAGE)) {
      throw new Error(`${STUDIO_PAGE} is missing: build the studio first (cd apps/console && npx ng build studio)`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startServer({ WEB_DIR }), launchChromium()]);
    moderatorApi = await Api.asModerator(server.url);
    event = await moderatorApi.createEvent({ title: 'Budget 2027: press conference' });
    moderator = await LiveClient.connect(server.url, (await moderatorApi.join(event.slug)).accessToken);
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/start`);
  }, 30_000);

  afterAll(async () => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    moderator?.close();
    await browser?.close();
    await server?.close();
  });

  const invite = (body: Record<string, unknown>) =>
    moderatorApi.expectOk<SpeakerInviteView>('POST', `/api/events/${event.slug}/speakers`, body);

  async function openInvite(view: SpeakerInviteView): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    watched.push(watchRequests(context));
    const page = await context.newPage();
    const link = new URL(view.inviteUrl);
    await page.goto(`${server.url}${link.pathname}${link.search}`);
    return page;
  }

  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

  async function playsSound(audio: Locator, what: string): Promise<void> {
    const read = () =>
      audio.evaluate((element: { paused: boolean; currentTime: number }) => ({
        paused: element.paused,
        time: element.currentTime,
      }));
    const started = await eventually(read, (state) => (!state.paused && state.time > 0 ? state : undefined), {
      what: `${what} playing`,
    });
    await eventually(read, (state) => (state.time > started.time + 0.3 ? state : undefined), {
      what: `${what} advancing`,
    });
  }

  it('a speaker is on air; the captioner checks the speakers, joins, and hears the studio over WebRTC', async () => {
    speaker = await openInvite(await invite({ name: 'Minister Ruiz' }));
    await button(speaker, 'Join the studio').click();
    await button(speaker, 'Mute microphone').waitFor();

    captioner = await openInvite(await invite({ name: 'Carla Captions', role: 'captioner', language: 'es' }));
    await captioner.getByRole('heading', { name: 'Get ready to caption' }).waitFor();
    await captioner.getByText('You are invited to caption in Spanish').waitFor();
    // A captioner needs no camera and no microphone: the check offers only the speakers.
    expect(await captioner.getByRole('combobox', { name: /Camera|Microphone/ }).count()).toBe(0);
    await button(captioner, 'Play test sound').waitFor();
    await button(captioner, 'Join the studio').click();

    await captioner.getByRole('heading', { name: 'Your captions (Spanish)' }).waitFor();
    expect(await captioner.title()).toBe(`${event.title} · Live captions`);
    const floor = captioner.getByRole('region', { name: 'In the studio' });
    await floor.getByText('Minister Ruiz').waitFor();
    await playsSound(floor.locator('audio'), "the speaker's voice on the captioner's page");
    // The captioner is nobody's tile: the speaker's studio shows the floor only.
    await speaker.waitForTimeout(500);
    expect(await speaker.getByRole('figure', { name: /Carla Captions/ }).count()).toBe(0);
  });

  it('the captioner types lines with the keyboard: Enter sends each as a cue, interim text reaches the moderators', async () => {
    const box = captioner.getByLabel('Type what is said; Enter sends the line');
    await box.focus();
    const interim = moderator.next('caption:interim', (p) => p.text.startsWith('Buenos'), { timeoutMs: 25_000 });
    const lines = ['Buenos días a todos.', 'El presupuesto sube un 3 %.', 'Empezamos con las preguntas.'];
    const cues: CaptionCueView[] = [];
    for (const [index, line] of lines.entries()) {
      const cue = moderator.next('caption:cue', (c) => c.text === line, { timeoutMs: 25_000 });
      await captioner.keyboard.type(line, { delay: index === 0 ? 60 : 10 });
      await captioner.keyboard.press('Enter');
      cues.push(await cue);
      // The box is empty again, with the focus still in it, for the next line.
      expect(await box.inputValue()).toBe('');
      expect(await box.evaluate((element: { matches(selector: string): boolean }) => element.matches(':focus'))).toBe(
        true,
      );
    }
    expect(await interim).toMatchObject({ language: 'es' });
    expect(cues.map((c) => [c.language, c.text])).toEqual(lines.map((line) => ['es', line]));

    const sent = captioner.getByRole('list', { name: 'Lines sent' });
    await eventually(
      () => sent.getByRole('listitem').allInnerTexts(),
      (items) => (items.length === 3 && items.every((item) => !/sending|not sent/.test(item)) ? items : undefined),
      { what: 'three lines listed as sent' },
    );
    expect((await sent.getByRole('listitem').allInnerTexts()).map((item) => item.replace(/^\S+\s+/, ''))).toEqual(
      lines,
    );
    // A blank line is not sent.
    await box.press('Enter');
    await captioner.waitForTimeout(300);
    expect(moderator.all('caption:cue')).toHaveLength(3);
    await captioner.screenshot({ path: join(SCREENSHOTS, 'crew-captioner.png') });

    const transcript = await moderatorApi.expectOk<{ captions: CaptionCueView[] }>(
      'GET',
      `/api/events/${event.slug}/transcript`,
    );
    expect(transcript.captions.map((c) => c.text)).toEqual(lines);
  });

  it('the interpreter checks and publishes only a microphone; the moderators see them sending', async () => {
    const sending = moderator.next(
      'crew:changed',
      ({ crew }) => crew.some((m) => m.name === 'Ines Interpreter' && m.state === 'sending'),
      { timeoutMs: 20_000 },
    );
    const interpreter = await openInvite(
      await invite({ name: 'Ines Interpreter', role: 'interpreter', language: 'fr' }),
    );
    await interpreter.getByRole('heading', { name: 'Get ready to interpret' }).waitFor();
    await interpreter.getByRole('meter', { name: 'Microphone level' }).waitFor();
    expect(await interpreter.getByRole('combobox', { name: 'Camera' }).count()).toBe(0);
    await interpreter.getByText('You join with your microphone only.').waitFor();
    await button(interpreter, 'Join the studio').click();
    await button(interpreter, 'Mute microphone').waitFor();
    await interpreter.getByText(/You interpret into French/).waitFor();
    expect(await button(interpreter, 'Share screen').count()).toBe(0);
    await sending;
    expect(await interpreter.title()).toBe(`${event.title} · Interpretation booth`);
    await interpreter.context().close();
  });

  it('the signer checks and publishes only a camera, which the speakers do not get as a tile', async () => {
    const sending = moderator.next(
      'crew:changed',
      ({ crew }) => crew.some((m) => m.name === 'Sam Signer' && m.state === 'sending'),
      { timeoutMs: 25_000 },
    );
    const signer = await openInvite(await invite({ name: 'Sam Signer', role: 'signer' }));
    await signer.getByRole('heading', { name: 'Get ready to sign' }).waitFor();
    await signer.getByLabel('Your camera preview').waitFor();
    expect(await signer.getByRole('meter', { name: 'Microphone level' }).count()).toBe(0);
    await signer.getByText('You join with your camera only.').waitFor();
    await button(signer, 'Join the studio').click();
    await button(signer, 'Turn camera off').waitFor();
    await signer.getByText(/You sign: your camera has its own place in the broadcast/).waitFor();
    await sending;
    // The signer sees and hears the floor; the speaker's studio shows no tile for them.
    await signer.getByRole('figure', { name: /Minister Ruiz/ }).waitFor();
    expect(await speaker.getByRole('figure', { name: /Sam Signer/ }).count()).toBe(0);
    await signer.context().close();
  });

  it("the control room invites a signer and an interpreter with the form, and shows the crew's state and a captioner's words", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    watched.push(watchRequests(context));
    const console_ = await context.newPage();
    await console_.goto(`${server.url}/console/`);
    await console_.getByLabel('Email').fill(ADMIN.email);
    await console_.getByLabel('Password').fill(ADMIN.password);
    await console_.getByRole('button', { name: 'Sign in' }).click();
    await console_.waitForURL(/\/console\/events$/);
    await console_.goto(`${server.url}/console/events/${event.slug}`);
    await console_.getByRole('status').filter({ hasText: 'Connected' }).waitFor();

    const crewPanel = console_.getByRole('region', { name: 'Crew' });
    const member = (name: string) => crewPanel.getByRole('listitem').filter({ hasText: name });
    await member('Carla Captions').getByText('Captions · Spanish (es)').waitFor();
    await member('Carla Captions').getByText('Empezamos con las preguntas.').waitFor();
    await member('Ines Interpreter').getByText('Offline').waitFor();

    // The language field appears only for roles that need one.
    const language = console_.getByLabel('Language', { exact: true });
    await console_.getByLabel('Speaker name').fill('Sigrid Signer');
    await console_.getByLabel('Role', { exact: true }).selectOption('signer');
    expect(await language.count()).toBe(0);
    await console_.getByRole('button', { name: 'Invite', exact: true }).click();
    await member('Sigrid Signer').getByText('Offline').waitFor();

    await console_.getByLabel('Speaker name').fill('Otto Dolmetscher');
    await console_.getByLabel('Role', { exact: true }).selectOption('interpreter');
    await language.fill('de');
    await console_.getByRole('button', { name: 'Invite', exact: true }).click();
    await member('Otto Dolmetscher').getByText('Interpretation · German (de)').waitFor();
    const links = await moderatorApi.expectOk<SpeakerInviteView[]>('GET', `/api/events/${event.slug}/speakers`);
    expect(links.filter((i) => i.name !== 'Minister Ruiz').map((i) => [i.name, i.role, i.language])).toEqual([
      ['Carla Captions', 'captioner', 'es'],
      ['Ines Interpreter', 'interpreter', 'fr'],
      ['Sam Signer', 'signer', null],
      ['Sigrid Signer', 'signer', null],
      ['Otto Dolmetscher', 'interpreter', 'de'],
    ]);

    // The captioner types: the console shows the words being typed, then the line.
    await captioner.getByLabel('Type what is said; Enter sends the line').focus();
    await captioner.keyboard.type('Gracias por venir', { delay: 40 });
    await member('Carla Captions').getByText('Gracias por venir').waitFor();
    await member('Carla Captions').getByText('Sending').waitFor();
    await captioner.keyboard.press('Enter');
    await crewPanel.screenshot({ path: join(SCREENSHOTS, 'crew-console-panel.png') });
    await console_.screenshot({ path: join(SCREENSHOTS, 'crew-console.png'), fullPage: true });
    await context.close();
  });
});
