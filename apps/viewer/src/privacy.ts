/**
 * Privacy on the event page: the footer naming who runs the server, the links to the event's notice
 * (`/:slug/privacy`), and "Your data": download everything the server holds about this person, or have
 * their name and outlet erased ("Forget me", after a confirmation).
 */
import { ApiClient, ApiError } from '@pressroom/live-client';
import { privacyPath, type ForgetMeResponse, type ServerInfo } from '@pressroom/protocol';
import { announce, byId, errorText, setText, show } from './dom';
import { t } from './i18n';
import { rememberIdentity } from './remembered';
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

/** "Your data": shown once the page has joined, until the event is purged. */
export function mountMyData(store: ViewerStore, slug: string, options: MyDataOptions): void {
  const api = new ApiClient({ token: options.token });
  const path = `/api/events/${encodeURIComponent(slug)}/me`;
  const status = byId('my-data-status');
  const dialog = byId<HTMLDialogElement>('forget-dialog');
  const fail = (failure: unknown) =>
    setText(status, () => (failure instanceof ApiError ? errorText(failure) : t('error.unreachable')));

  store.watch(['me', 'event'], ({ me, event }) => show(byId('my-data'), me !== null && event.status !== 'purged'));

  byId('my-data-download').addEventListener('click', async () => {
    setText(status, '');
    try {
      const { blob } = await api.download(path);
      saveFile(blob, `${slug}-my-data.json`);
      setText(status, () => t('my_data.downloaded'));
    } catch (failure) {
      fail(failure);
    }
  });

  const confirm = () => {
    setText(status, '');
    dialog.returnValue = '';
    dialog.showModal();
  };
  byId('my-data-forget').addEventListener('click', confirm);
  byId('identity-forget').addEventListener('click', confirm);
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'forget') return;
    try {
      await api.delete<ForgetMeResponse>(path);
      rememberIdentity(null);
      announce(t('my_data.forgotten'));
      options.forgotten();
    } catch (failure) {
      fail(failure);
    }
  });
}

function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url));
}
