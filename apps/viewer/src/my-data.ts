/**
 * "Your data" on the event page: download everything the server holds about this person, or have their
 * name and outlet erased ("Forget me", after a confirmation).
 */
import { ApiClient, ApiError } from '@pressroom/live-client';
import type { ForgetMeResponse } from '@pressroom/protocol';
import { announce, byId, errorText, setText } from './dom';
import { t } from './i18n';
import type { MyDataOptions } from './privacy';
import { rememberIdentity } from './remembered';

/** What "Your data"'s buttons do (privacy.ts shows the section and loads this on the first click). */
export function mountMyDataActions(slug: string, options: MyDataOptions): void {
  const api = new ApiClient({ token: options.token });
  const path = `/api/events/${encodeURIComponent(slug)}/me`;
  const status = byId('my-data-status');
  const dialog = byId<HTMLDialogElement>('forget-dialog');
  const fail = (failure: unknown) =>
    setText(status, () => (failure instanceof ApiError ? errorText(failure) : t('error.unreachable')));

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
