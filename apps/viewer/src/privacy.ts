/**
 * Privacy on the event page: the footer naming who runs the server, the links to the event's notice
 * (`/:slug/privacy`), and "Your data": download everything the server holds about this person, or have
 * their name and outlet erased ("Forget me", after a confirmation).
 */
import { ApiClient } from '@pressroom/live-client';
import { privacyPath, type ServerInfo } from '@pressroom/protocol';
import { byId, setText, show } from './dom';
import { loadLaterMessages, t } from './i18n';
import type { ViewerStore } from './store';

/**
 * Shows the footer once the page has its content (the live state, a problem, the password prompt): drawn
 * before, it would sit under the empty page and move down as the content arrives.
 */
export function revealFooter(): void {
  show(byId('site-footer'), true);
}

/** The footer's operator line, and every privacy link pointed at this event's notice. */
export function mountFooter(slug: string | null): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a.privacy-link')) {
    if (slug) link.href = privacyPath(encodeURIComponent(slug));
    else link.hidden = true;
  }
  show(byId('footer-privacy'), slug !== null);
  new ApiClient()
    .get<ServerInfo>('/api/server')
    .then(({ operator }) => {
      const { name, contact } = operator;
      setText(byId('operator'), () =>
        name ? t('footer.run_by', { name }) + (contact ? ` · ${contact}` : '') : t('footer.no_operator'),
      );
      const policy = byId<HTMLAnchorElement>('footer-policy');
      if (operator.privacyUrl && /^https?:\/\//i.test(operator.privacyUrl)) {
        policy.href = operator.privacyUrl;
        show(policy, true);
      }
    })
    .catch(() => undefined);
}

export interface MyDataOptions {
  /** The access token this page joined with. */
  token(): string | null;
  /** The server forgot this person: the page starts over. */
  forgotten(): void;
}

/**
 * "Your data": shown once the page has joined, until the event is purged. What its buttons do comes as a
 * chunk of its own on the first click (my-data.ts): few readers ever press them.
 */
export function mountMyData(store: ViewerStore, slug: string, options: MyDataOptions): void {
  store.watch(['me', 'event'], ({ me, event }) => show(byId('my-data'), me !== null && event.status !== 'purged'));
  let actions: Promise<void> | undefined;
  const load = () =>
    (actions ??= Promise.all([import('./my-data'), loadLaterMessages()]).then(([{ mountMyDataActions }]) =>
      mountMyDataActions(slug, options),
    ));
  for (const id of ['my-data-download', 'my-data-forget', 'identity-forget']) {
    const button = byId(id);
    // The first click loads the actions, then is handed to them.
    const first = () => {
      button.removeEventListener('click', first);
      void load().then(() => button.click());
    };
    button.addEventListener('click', first);
  }
}
