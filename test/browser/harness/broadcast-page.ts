import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  putSpeakerOnAir,
  startBroadcastServer,
  type BroadcastTestServer,
  type SpeakerOnAir,
} from '../../e2e/harness/broadcast-server';
import { openPressConference, type PressConference } from '../../e2e/harness/press-conference';
import { launchChromium, watchRequests, type WatchedRequests } from './browser';

/** The built front ends (`npm run build:web`), served by the test's server. */
export const WEB_DIR = join(resolve(__dirname, '..', '..', '..'), 'dist');

/** A live broadcast with an interpreter in the crew, and a desktop Chromium page to watch it in. */
export interface BroadcastPage {
  broadcast: BroadcastTestServer;
  browser: Browser;
  room: PressConference;
  /** The synthetic speaker on air. */
  speaker: SpeakerOnAir;
  /** 1280×900, en-GB, actions time out after 15 s. */
  context: BrowserContext;
  page: Page;
  /** The context's requests and console. */
  watched: WatchedRequests;
  /** Prints the browser's console (when it said anything), then closes the page's browser and the server. */
  close(): Promise<void>;
}

/**
 * A broadcast server serving the built event page, and Debian's Chromium (started side by side); an event
 * (`title`) whose crew has an interpreter into `interpreterLanguage` (the broadcast then lists an alternate
 * audio rendition), started, with a synthetic speaker on air; and one page in a fresh context, not yet
 * navigated (`beforePage` sees the context first).
 */
export async function openBroadcastPage(options: {
  title: string;
  interpreterLanguage: string;
  /** Called with the context before the page opens (e.g. to listen to its requests). */
  beforePage?: (context: BrowserContext) => void;
}): Promise<BroadcastPage> {
  if (!existsSync(join(WEB_DIR, 'viewer', 'index.html'))) {
    throw new Error('dist/viewer/index.html is missing: run "npm run build:web" before this test');
  }
  const [started, launched] = await Promise.allSettled([startBroadcastServer({ WEB_DIR }), launchChromium()]);
  const broadcast = started.status === 'fulfilled' ? started.value : undefined;
  const browser = launched.status === 'fulfilled' ? launched.value : undefined;
  let room: PressConference | undefined;
  let speaker: SpeakerOnAir | undefined;
  let watched: WatchedRequests | undefined;
  const close = async () => {
    const messages = watched?.console ?? [];
    if (messages.length > 0) console.log(`browser console:\n${messages.join('\n')}`);
    room?.close();
    await speaker?.source.close();
    await browser?.close();
    await broadcast?.close();
  };
  try {
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    const server = started.value;
    room = await openPressConference(server.server, { title: options.title });
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/speakers`, {
      name: 'Ines Interpreter',
      role: 'interpreter',
      language: options.interpreterLanguage,
    });
    await room.moderatorApi.expectOk('POST', `/api/events/${room.event.slug}/start`);
    speaker = await putSpeakerOnAir(server.server, room.event.id);
    const context = await launched.value.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    watched = watchRequests(context);
    options.beforePage?.(context);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    return { broadcast: server, browser: launched.value, room, speaker, context, page, watched, close };
  } catch (error) {
    await close();
    throw error;
  }
}
