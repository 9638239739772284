import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { removeDir } from '../../e2e/harness/disk-scan';
import { PROBE } from '../fixtures/probe';

/**
 * Debian's Chromium, never a downloaded one; fake camera and microphone, no permission prompts. The
 * fake microphone would be silent: it plays a tone instead, so that audio levels and the active
 * speaker have something to measure.
 */
export async function launchChromium(options: FakeDevices = {}): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-chromium-'));
  const browser = await chromium.launch(chromiumOptions(dir, options));
  browser.on('disconnected', () => rmSync(dir, { recursive: true, force: true }));
  return browser;
}

export interface ChromiumProfile {
  /** The profile's one browser context. */
  context: BrowserContext;
  /** Closes the browser and deletes the profile. */
  close(): Promise<void>;
}

/**
 * The same Chromium with a profile of its own whose preferences start as `preferences` (the JSON of
 * `Default/Preferences`): what a user's or an administrator's settings would change, e.g. a WebRTC policy.
 */
export async function launchChromiumWithPreferences(preferences: object): Promise<ChromiumProfile> {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-chromium-'));
  const profile = join(dir, 'profile');
  mkdirSync(join(profile, 'Default'), { recursive: true });
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
  const context = await chromium.launchPersistentContext(profile, chromiumOptions(dir));
  return {
    context,
    async close() {
      await context.close();
      await removeDir(dir);
    },
  };
}

export interface FakeDevices {
  /**
   * The fake camera of every page of this browser shows this one colour (`0xff8000`), 320x180, instead of
   * Chromium's moving pattern: a camera a test can find in the broadcast's picture.
   */
  cameraColour?: string;
}

function chromiumOptions(dir: string, { cameraColour }: FakeDevices = {}) {
  const tone = join(dir, 'tone.wav');
  writeFileSync(tone, toneWav());
  const camera = cameraColour ? [`--use-file-for-fake-video-capture=${solidY4m(dir, cameraColour)}`] : [];
  return {
    executablePath: process.env.PRESSROOM_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      `--use-file-for-fake-audio-capture=${tone}`,
      ...camera,
    ],
  };
}

/** Half a second of one colour, 320x180 at 30 fps (cheap to encode), as Y4M (Chromium loops it): written by FFmpeg into `dir`. */
function solidY4m(dir: string, colour: string): string {
  const file = join(dir, `camera-${colour}.y4m`);
  // prettier-ignore
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${colour}:size=320x180:rate=30`,
    '-frames:v', '15', '-pix_fmt', 'yuv420p', file,
  ]);
  return file;
}

/** One second of a 440 Hz tone at -12 dBFS, 48 kHz mono 16-bit PCM (Chromium loops it). */
function toneWav(): Buffer {
  const rate = 48_000;
  const samples = Buffer.alloc(rate * 2);
  for (let i = 0; i < rate; i++)
    samples.writeInt16LE(Math.round(0.25 * 32767 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

/**
 * Records every request of the context's pages that goes anywhere but 127.0.0.1: Pressroom's pages
 * make no third-party requests. Also keeps the pages' console errors, to explain a failure.
 */
export interface WatchedRequests {
  /** Requests and WebSockets seen, to show the watch works. */
  count: number;
  offsite: string[];
  console: string[];
}

export function watchRequests(context: BrowserContext): WatchedRequests {
  const seen: WatchedRequests = { count: 0, offsite: [], console: [] };
  const check = (address: string) => {
    seen.count++;
    const url = new URL(address);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.hostname !== '127.0.0.1') seen.offsite.push(address);
  };
  context.on('request', (request) => check(request.url()));
  context.on('page', (page) => {
    page.on('websocket', (socket) => check(socket.url()));
    watchConsole(page, seen.console);
  });
  return seen;
}

function watchConsole(page: Page, into: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') into.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => into.push(`pageerror: ${error.message}`));
}

type Control = { snapshot(): unknown } & Record<string, (...args: never[]) => unknown>;

/** The snapshot a test page publishes (see fixtures/probe.ts). */
export function probe<T>(page: Page): Promise<T> {
  return page.evaluate(
    (key) => (globalThis as unknown as Record<string, Control>)[key]!.snapshot(),
    PROBE,
  ) as Promise<T>;
}

/** Does on a test page what its speaker would (see `StudioControl` in fixtures/probe.ts). */
export async function act<C, A extends keyof C & string>(
  page: Page,
  action: A,
  ...args: C[A] extends (...args: infer P) => unknown ? P : never
): Promise<void> {
  await page.evaluate(
    ([key, name, params]) =>
      (globalThis as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[key]![name]!(
        ...params,
      ),
    [PROBE, action, args] as const,
  );
}

/** Polls `check` until it returns a value (not undefined), or fails with the last snapshot after `timeoutMs`. */
export async function eventually<T, S>(
  read: () => Promise<S>,
  check: (snapshot: S) => T | undefined,
  { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: S | undefined;
  for (;;) {
    last = await read();
    const result = check(last);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface PlayingOptions {
  /** How far its time must move on. */
  advanceSeconds?: number;
  /** How long the first picture may take. */
  startTimeoutMs?: number;
  /** How long the time may take to move on after it. */
  advanceTimeoutMs?: number;
}

/** Waits until a video shows a picture and its time moves on: a user sees it play. */
export async function videoPlays(
  video: Locator,
  what: string,
  { advanceSeconds = 1, startTimeoutMs = 10_000, advanceTimeoutMs = 10_000 }: PlayingOptions = {},
): Promise<void> {
  const read = () =>
    video.evaluate((element: { videoWidth: number; currentTime: number }) => ({
      width: element.videoWidth,
      time: element.currentTime,
    }));
  const started = await eventually(read, (state) => (state.width > 0 && state.time > 0 ? state : undefined), {
    timeoutMs: startTimeoutMs,
    intervalMs: 250,
    what: `${what} playing`,
  });
  await eventually(read, (state) => (state.time > started.time + advanceSeconds ? state : undefined), {
    timeoutMs: advanceTimeoutMs,
    intervalMs: 250,
    what: `${what} advancing`,
  });
}

/** A text track of a video as the page has it: language, mode, every cue's text and those on screen now. */
export interface TextTrackState {
  language: string;
  mode: string;
  cues: string[];
  active: string[];
}

/** The video's text tracks, read in the page (`video.textTracks`): what the browser draws is `showing`'s active cues. */
export function textTracks(video: Locator): Promise<TextTrackState[]> {
  interface PageTrack {
    language: string;
    mode: string;
    cues: ArrayLike<{ text: string }> | null;
    activeCues: ArrayLike<{ text: string }> | null;
  }
  return video.evaluate((element: { textTracks: ArrayLike<PageTrack> }) =>
    Array.from(element.textTracks, (track) => ({
      language: track.language,
      mode: track.mode,
      cues: Array.from(track.cues ?? [], (cue) => cue.text),
      active: Array.from(track.activeCues ?? [], (cue) => cue.text),
    })),
  );
}
