import type { EventDetails, QuestionView, SpeakerInviteView } from '@pressroom/protocol';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { Api } from '../e2e/harness/api';
import { LiveClient } from '../e2e/harness/live-client';
import { startServer, type TestServer } from '../e2e/harness/server';
import { eventually, launchChromium, videoPlays, watchRequests, type WatchedRequests } from './harness/browser';

const ROOT = resolve(__dirname, '..', '..');
const WEB_DIR = join(ROOT, 'dist');
const STUDIO_PAGE = join(WEB_DIR, 'studio', 'index.html');
const SCREENSHOTS = join(ROOT, 'reports', 'screenshots');

/**
 * The speaker studio page (the production build in dist/studio, served by the API) driven like a
 * speaker would: by the names of its controls, in Debian's Chromium with a fake camera and a
 * microphone playing a tone.
 */
describe('speaker studio page: from the invite link to leaving', () => {
  let server: TestServer;
  let browser: Browser;
  const watched: WatchedRequests[] = [];
  let moderatorApi: Api;
  let moderator: LiveClient;
  let event: EventDetails;
  let ruizInvite: SpeakerInviteView;
  let okaforInvite: SpeakerInviteView;
  let ruiz: Page;
  let okafor: Page;
  /** The devices Minister Ruiz switched to on stage, to find again on the next visit. */
  const chosenOnStage = { microphone: '', microphoneName: '', speakers: '' };

  beforeAll(async () => {
    if (!existsSync(STUDIO_PAGE)) {
      throw new Error(`${STUDIO_PAGE} is missing: build the studio first (cd apps/console && npx ng build studio)`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startServer({ WEB_DIR }), launchChromium()]);
    moderatorApi = await Api.asModerator(server.url);
    event = await moderatorApi.createEvent({ title: 'Budget 2027: press conference' });
    moderator = await LiveClient.connect(server.url, (await moderatorApi.join(event.slug)).accessToken);
    [ruizInvite, okaforInvite] = [
      await moderatorApi.inviteSpeaker(event.slug, 'Minister Ruiz'),
      await moderatorApi.inviteSpeaker(event.slug, 'Dr. Okafor'),
    ];
  }, 30_000);

  afterAll(async () => {
    const messages = watched.flatMap((w) => w.console);
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    moderator?.close();
    await browser?.close();
    await server?.close();
  });

  /** A speaker's own browser on the invite link exactly as the API made it (its origin swapped for the test server's). */
  async function openInvite(invite: SpeakerInviteView, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    watched.push(watchRequests(context));
    const page = await context.newPage();
    const link = new URL(invite.inviteUrl);
    await page.goto(`${server.url}${link.pathname}${link.search}`);
    return page;
  }

  const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
  const tile = (page: Page, name: string) => page.getByRole('figure', { name });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `studio-${name}.png`) });

  /** The video has a picture and its time moves on. */
  const playing = (video: Locator, what: string) => videoPlays(video, what, { advanceSeconds: 0.3 });

  /** The voice of a tile plays: its audio element is not paused and its time moves on. */
  async function hears(tileOnPage: Locator, what: string): Promise<void> {
    const audio = tileOnPage.locator('audio');
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

  /** Another option of a device list than the one selected (the same one when there is no other). */
  async function otherOption(list: Locator): Promise<string> {
    const [current, options] = await Promise.all([
      list.inputValue(),
      list.locator('option').evaluateAll((options: Array<{ value: string }>) => options.map((option) => option.value)),
    ]);
    return options.find((option) => option !== current) ?? current;
  }

  const hasFocus = (element: { matches(selector: string): boolean }) => element.matches(':focus');

  async function joinStudio(page: Page): Promise<void> {
    await button(page, 'Join the studio').click();
    await button(page, 'Mute microphone').waitFor();
  }

  it('the device check shows the camera, a moving microphone meter and the speakers; the speaker joins and publishes', async () => {
    ruiz = await openInvite(ruizInvite);
    await ruiz.getByRole('heading', { name: 'Get ready to speak' }).waitFor();
    await ruiz.getByText(event.title).first().waitFor();
    await playing(ruiz.getByLabel('Your camera preview'), 'the camera preview');

    const meter = ruiz.getByRole('meter', { name: 'Microphone level' });
    const levels: number[] = [];
    await eventually(
      async () => Number(await meter.getAttribute('aria-valuenow')),
      (level) => (levels.push(level) && levels.some((l) => l > 30) && new Set(levels).size > 1 ? level : undefined),
      { intervalMs: 50, what: 'the microphone meter moving with the tone' },
    );
    await ruiz.getByText('We can hear you.').waitFor();

    const speakers = ruiz.getByLabel('Speakers');
    expect(await speakers.locator('option').count()).toBeGreaterThan(1);
    await speakers.selectOption({ index: 1 });
    await button(ruiz, 'Play test sound').click();
    await ruiz.getByText('Did you hear a chime?').waitFor();
    await shot(ruiz, 'device-check');

    await joinStudio(ruiz);
    // On stage: the speaker's own picture plays, and nothing went wrong. What the others receive is
    // seen on the next speaker's page.
    await playing(tile(ruiz, 'Minister Ruiz (you)').locator('video'), 'Minister Ruiz’s own picture on stage');
    expect(await ruiz.getByRole('alert').count()).toBe(0);
  }, 30_000);

  it('a second speaker sees and hears the first, and the first sees them; the speaking one is highlighted', async () => {
    okafor = await openInvite(okaforInvite);
    await joinStudio(okafor);
    await playing(tile(okafor, 'Minister Ruiz').locator('video'), 'Minister Ruiz’s video on Dr. Okafor’s page');
    await hears(tile(okafor, 'Minister Ruiz'), 'Minister Ruiz’s voice on Dr. Okafor’s page');
    await playing(tile(ruiz, 'Dr. Okafor').locator('video'), 'Dr. Okafor’s video on Minister Ruiz’s page');
    await hears(tile(ruiz, 'Dr. Okafor'), 'Dr. Okafor’s voice on Minister Ruiz’s page');
    // Both fake microphones play a tone: the studio names one of them the active speaker.
    await okafor.getByRole('figure', { name: /, speaking$/ }).waitFor();
    await shot(okafor, 'stage');
  }, 30_000);

  it('muting and turning the camera off show on the other speaker’s page', async () => {
    await button(ruiz, 'Mute microphone').click();
    await button(ruiz, 'Unmute microphone').waitFor();
    await tile(okafor, 'Minister Ruiz, microphone muted').waitFor();

    await button(ruiz, 'Turn camera off').click();
    await button(ruiz, 'Turn camera on').waitFor();
    await tile(okafor, 'Minister Ruiz').locator('video').waitFor({ state: 'detached' });
    await shot(okafor, 'speaker-muted');

    await button(ruiz, 'Turn camera on').click();
    await playing(tile(okafor, 'Minister Ruiz').locator('video'), 'Minister Ruiz’s video again');
    await button(ruiz, 'Unmute microphone').click();
    await tile(okafor, 'Minister Ruiz, microphone muted').waitFor({ state: 'detached' });
  }, 30_000);

  it('a shared screen reaches the other speaker', async () => {
    await button(ruiz, 'Share screen').click();
    await button(ruiz, 'Stop sharing').waitFor();
    await playing(tile(okafor, 'Minister Ruiz’s screen').locator('video'), 'the shared screen');
    await button(ruiz, 'Stop sharing').click();
    await tile(okafor, 'Minister Ruiz’s screen').waitFor({ state: 'detached' });
  }, 30_000);

  it('on stage, the speaker switches microphone, camera and speakers in the settings without leaving; the others keep receiving', async () => {
    // Dr. Okafor's picture of Minister Ruiz: the same element throughout if nobody leaves or joins again.
    const ruizOnOkafor = await tile(okafor, 'Minister Ruiz').locator('video').elementHandle();
    const ownVideo = tile(ruiz, 'Minister Ruiz (you)').locator('video');
    const ownCamera = () =>
      ownVideo.evaluate(
        (video: { srcObject: { getVideoTracks(): Array<{ id: string }> } }) => video.srcObject.getVideoTracks()[0]!.id,
      );
    const cameraBefore = await ownCamera();
    // Only Minister Ruiz may be heard later on: Dr. Okafor mutes. Ruiz switches while muted, too.
    await button(okafor, 'Mute microphone').click();
    await button(ruiz, 'Mute microphone').click();
    await tile(okafor, 'Minister Ruiz, microphone muted').waitFor();

    const settings = button(ruiz, 'Audio and video settings');
    await settings.focus();
    await ruiz.keyboard.press('Enter');
    const dialog = ruiz.getByRole('dialog', { name: 'Audio and video settings' });
    await dialog.waitFor();
    const cameras = dialog.getByLabel('Camera', { exact: true });
    const microphones = dialog.getByLabel('Microphone', { exact: true });
    const speakers = dialog.getByLabel('Speakers', { exact: true });
    expect(await cameras.evaluate(hasFocus)).toBe(true);
    await dialog.getByText('Your microphone is muted').waitFor();

    chosenOnStage.microphone = await otherOption(microphones);
    chosenOnStage.microphoneName = await microphones.locator(`option[value="${chosenOnStage.microphone}"]`).innerText();
    await microphones.selectOption(chosenOnStage.microphone);
    expect(await microphones.locator('option:checked').innerText()).toBe(chosenOnStage.microphoneName);
    // The meter listens to the new microphone, though muted for the others.
    const meter = dialog.getByRole('meter', { name: 'Microphone level' });
    await eventually(
      async () => Number(await meter.getAttribute('aria-valuenow')),
      (level) => (level > 30 ? level : undefined),
      { intervalMs: 50, what: 'the meter moving with the new microphone' },
    );
    await dialog.getByText('We can hear you.').waitFor();

    // Chromium's fake devices have one camera: choosing it again opens a new track all the same.
    await cameras.selectOption(await otherOption(cameras));
    await eventually(ownCamera, (id) => (id !== cameraBefore ? id : undefined), { what: 'a new camera picture' });
    await playing(ownVideo, 'Minister Ruiz’s own picture from the new camera');
    await playing(tile(okafor, 'Minister Ruiz').locator('video'), 'Minister Ruiz’s picture on Dr. Okafor’s page');

    chosenOnStage.speakers = await otherOption(speakers);
    await speakers.selectOption(chosenOnStage.speakers);
    const okaforsVoice = tile(ruiz, 'Dr. Okafor').locator('audio');
    await eventually(
      () => okaforsVoice.evaluate((audio: { sinkId: string }) => audio.sinkId),
      (sinkId) => (sinkId === chosenOnStage.speakers ? sinkId : undefined),
      { what: 'Dr. Okafor’s voice on the speakers chosen' },
    );
    expect(await dialog.getByText(/could not|still using the previous one/).count()).toBe(0);
    await shot(ruiz, 'device-settings');

    await ruiz.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await settings.evaluate(hasFocus)).toBe(true);

    // Still muted for the others after the switch; once unmuted, the new microphone is heard.
    await tile(okafor, 'Minister Ruiz, microphone muted').waitFor();
    await button(ruiz, 'Unmute microphone').click();
    await okafor.getByRole('figure', { name: 'Minister Ruiz, speaking' }).waitFor();
    await playing(tile(okafor, 'Minister Ruiz').locator('video'), 'Minister Ruiz’s new camera on Dr. Okafor’s page');
    await hears(tile(okafor, 'Minister Ruiz'), 'Minister Ruiz’s voice from the new microphone');
    // Nobody left or joined again: Dr. Okafor's page kept the same picture of Minister Ruiz all along.
    expect(await ruizOnOkafor!.evaluate((video: { isConnected: boolean }) => video.isConnected)).toBe(true);
    await button(okafor, 'Unmute microphone').click();
  }, 30_000);

  it('the questions a moderator approves appear in order, and the one on air is announced', async () => {
    const journalistApi = new Api(server.url);
    const journalist = await LiveClient.connect(
      server.url,
      (await journalistApi.join(event.slug, { name: 'Ana García', outlet: 'El País' })).accessToken,
    );
    const ask = async (text: string): Promise<QuestionView> => {
      const reply = await journalist.send('question:ask', { text });
      if (!reply.ok) throw new Error(reply.error.message);
      expect(await moderator.send('question:approve', { questionId: reply.question.id })).toEqual({ ok: true });
      return reply.question;
    };
    const first = await ask('When will the new rail line open?');
    const second = await ask('How much goes to hospitals?');
    journalist.close();

    const upNext = ruiz.getByRole('region', { name: 'Up next' });
    await upNext.getByText(second.text).waitFor();
    expect(await upNext.getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining(first.text),
      expect.stringContaining(second.text),
    ]);

    expect(await moderator.send('question:onAir', { questionId: second.id })).toEqual({ ok: true });
    const onAir = ruiz.getByRole('region', { name: 'On air' });
    await onAir.getByText(second.text).waitFor();
    await onAir.getByText('Ana García, El País').waitFor();
    expect(await onAir.locator('[aria-live="polite"]').count()).toBe(1);
    await okafor.getByRole('region', { name: 'On air' }).getByText(second.text).waitFor();
    expect(await upNext.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining(first.text)]);
    await shot(ruiz, 'question-on-air');
  }, 30_000);

  it('when the API restarts, the page says it is reconnecting, then is back by itself with the question on air', async () => {
    await server.restart();
    const reconnecting = ruiz.getByRole('status').filter({ hasText: 'Reconnecting to the studio' });
    await reconnecting.waitFor();
    await reconnecting.waitFor({ state: 'hidden', timeout: 10_000 });
    await playing(tile(ruiz, 'Dr. Okafor').locator('video'), 'Dr. Okafor’s video after the restart');
    // Minister Ruiz sends again the camera and microphone switched to on stage.
    await playing(tile(okafor, 'Minister Ruiz').locator('video'), 'Minister Ruiz’s video after the restart');
    await hears(tile(okafor, 'Minister Ruiz'), 'Minister Ruiz’s voice after the restart');
    await hears(tile(ruiz, 'Dr. Okafor'), 'Dr. Okafor’s voice after the restart');
    // The settings still show the microphone chosen on stage: that is the one sent.
    await button(ruiz, 'Audio and video settings').click();
    const dialog = ruiz.getByRole('dialog', { name: 'Audio and video settings' });
    const microphone = dialog.getByLabel('Microphone', { exact: true });
    expect(await microphone.locator('option:checked').innerText()).toBe(chosenOnStage.microphoneName);
    await button(ruiz, 'Done').click();
    await dialog.waitFor({ state: 'hidden' });
    await ruiz.getByRole('region', { name: 'On air' }).getByText('How much goes to hospitals?').waitFor();
  }, 30_000);

  it('a speaker who leaves is gone from the other page, and can join again', async () => {
    await button(ruiz, 'Leave').click();
    await ruiz.getByRole('heading', { name: 'You left the studio' }).waitFor();
    await tile(okafor, 'Minister Ruiz').waitFor({ state: 'detached' });
    expect(await okafor.getByRole('figure').count()).toBe(1);
    await shot(ruiz, 'left');

    // The next visit in this browser starts with the devices chosen on stage.
    const nextVisit = await ruiz.context().newPage();
    await nextVisit.goto(ruiz.url());
    await nextVisit.getByRole('heading', { name: 'Get ready to speak' }).waitFor();
    const microphone = nextVisit.getByLabel('Microphone', { exact: true });
    await eventually(
      () => microphone.inputValue(),
      (deviceId) => (deviceId === chosenOnStage.microphone ? deviceId : undefined),
      { what: 'the microphone chosen on stage' },
    );
    expect(await nextVisit.getByLabel('Speakers', { exact: true }).inputValue()).toBe(chosenOnStage.speakers);
    await nextVisit.close();

    await button(ruiz, 'Rejoin the studio').click();
    await joinStudio(ruiz);
    await playing(tile(okafor, 'Minister Ruiz').locator('video'), 'Minister Ruiz back on Dr. Okafor’s page');
  }, 30_000);

  it('a revoked invite ends the stay with a clear message, and its link no longer opens the studio', async () => {
    await moderatorApi.expectOk('DELETE', `/api/events/${event.slug}/speakers/${okaforInvite.id}`);
    await okafor.getByRole('heading', { name: 'This invite was withdrawn' }).waitFor();
    await shot(okafor, 'invite-revoked');
    await tile(ruiz, 'Dr. Okafor').waitFor({ state: 'detached' });

    const again = await openInvite(okaforInvite, { width: 375, height: 720 });
    await again.getByRole('heading', { name: 'This invite was withdrawn' }).waitFor();
    await again.context().close();
  }, 30_000);

  it('at 375 px wide the stage keeps every control reachable', async () => {
    await ruiz.setViewportSize({ width: 375, height: 740 });
    const withinWidth = async (locator: Locator) => {
      const box = await locator.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    };
    for (const name of ['Mute microphone', 'Turn camera off', 'Share screen', 'Audio and video settings', 'Leave']) {
      await withinWidth(button(ruiz, name));
    }
    await shot(ruiz, 'stage-375px');
    await button(ruiz, 'Audio and video settings').click();
    const dialog = ruiz.getByRole('dialog', { name: 'Audio and video settings' });
    await withinWidth(dialog);
    await withinWidth(button(ruiz, 'Done'));
    await shot(ruiz, 'device-settings-375px');
    await button(ruiz, 'Done').click();
    await dialog.waitFor({ state: 'hidden' });
    // A click beside the dialog closes it too.
    await button(ruiz, 'Audio and video settings').click();
    await dialog.waitFor();
    await ruiz.mouse.click(2, 2);
    await dialog.waitFor({ state: 'hidden' });
    await ruiz.setViewportSize({ width: 1280, height: 800 });
  });

  it('when the moderators end the event, the speaker is told so', async () => {
    await moderatorApi.expectOk('POST', `/api/events/${event.slug}/end`);
    await ruiz.getByRole('heading', { name: 'This event has ended' }).waitFor();
    await shot(ruiz, 'event-ended');
  });

  it('no page made a request beyond 127.0.0.1', () => {
    expect(watched.reduce((count, w) => count + w.count, 0)).toBeGreaterThan(0);
    expect(watched.flatMap((w) => w.offsite)).toEqual([]);
  });
});
