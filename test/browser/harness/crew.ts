import type { SpeakerInviteView, InviteRole } from '@pressroom/protocol';
import type { Browser, Page } from 'playwright-core';
import type { Api } from '../../e2e/harness/api';
import { watchRequests, type WatchedRequests } from './browser';

/**
 * Speakers and crew on their real pages of the studio app (dist/studio): invited by a moderator, each in a
 * browser context of their own, through the device check into the studio.
 */
export class StudioCast {
  /** Every context's requests and console errors, to explain a failure. */
  readonly watched: WatchedRequests[] = [];

  constructor(
    private readonly serverUrl: string,
    private readonly moderatorApi: Api,
    private readonly slug: string,
  ) {}

  /** A personal invite link: `role` speaker by default; captioners and interpreters need a language. */
  invite(name: string, role: InviteRole = 'speaker', language?: string): Promise<SpeakerInviteView> {
    return this.moderatorApi.expectOk<SpeakerInviteView>('POST', `/api/events/${this.slug}/speakers`, {
      name,
      role,
      ...(language ? { language } : {}),
    });
  }

  /** Opens an invite link in a new context of `browser` (the device check). */
  async open(browser: Browser, invite: SpeakerInviteView): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    this.watched.push(watchRequests(context));
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const link = new URL(invite.inviteUrl);
    await page.goto(`${this.serverUrl}${link.pathname}${link.search}`, { timeout: 60_000 });
    return page;
  }

  /**
   * Invites someone, opens their link and joins the studio: returns once the page shows them in it (a
   * speaker's or a signer's media published, a captioner's text box).
   */
  async join(browser: Browser, name: string, role: InviteRole = 'speaker', language?: string): Promise<Page> {
    const page = await this.open(browser, await this.invite(name, role, language));
    await page.getByRole('button', { name: 'Join the studio', exact: true }).click();
    const inStudio = {
      speaker: page.getByRole('button', { name: 'Mute microphone', exact: true }),
      captioner: page.getByRole('heading', { name: /^Your captions/ }),
      interpreter: page.getByRole('button', { name: 'Mute microphone', exact: true }),
      signer: page.getByRole('button', { name: 'Turn camera off', exact: true }),
    }[role];
    await inStudio.waitFor({ timeout: 60_000 });
    return page;
  }

  /** The pages' console errors and warnings, one a line. */
  consoleMessages(): string[] {
    return this.watched.flatMap((w) => w.console);
  }
}
