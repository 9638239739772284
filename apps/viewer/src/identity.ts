/** "Take part": the name (to chat) and outlet (to ask and raise a hand) this person joins with. */
import { LIMITS } from '@pressroom/protocol';
import { ApiError } from '@pressroom/live-client';
import { byId, errorText, setText, show } from './dom';
import { onLanguageChange, participantName, t } from './i18n';
import { rememberedIdentity, rememberIdentity, type Identity } from './remembered';
import type { ViewerStore } from './store';

export interface IdentityActions {
  /** Joins again as `identity`. Throws `ApiError`. */
  joinAs(identity: Identity, password: string | null): Promise<void>;
  needsPassword(): boolean;
}

export function mountIdentity(store: ViewerStore, actions: IdentityActions): void {
  const section = byId('identity');
  const known = byId('identity-known');
  const summary = byId('identity-summary');
  const form = byId<HTMLFormElement>('identity-form');
  const name = byId<HTMLInputElement>('identity-name');
  const outlet = byId<HTMLInputElement>('identity-outlet');
  const passwordField = byId('identity-password-field');
  const password = byId<HTMLInputElement>('identity-password');
  const error = byId('identity-error');
  const cancel = byId<HTMLButtonElement>('identity-cancel');
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  name.maxLength = LIMITS.displayName;
  outlet.maxLength = LIMITS.outlet;
  password.maxLength = LIMITS.password;
  let editing = false;

  const draw = () => {
    const { me, event } = store.state;
    const open = event.status === 'scheduled' || event.status === 'live';
    show(section, open && me !== null);
    const named = Boolean(me?.name);
    show(known, named && !editing);
    show(form, !named || editing);
    show(cancel, named);
    show(passwordField, actions.needsPassword());
    password.required = actions.needsPassword();
    if (me?.name) {
      summary.textContent =
        me.role === 'journalist'
          ? t('identity.as_journalist', { name: participantName(me.name), outlet: me.outlet ?? '' })
          : t('identity.as_viewer', { name: participantName(me.name) });
    }
  };

  const edit = () => {
    const current = store.state.me?.name ? store.state.me : rememberedIdentity();
    name.value = current?.name ?? '';
    outlet.value = current?.outlet ?? '';
    editing = true;
    draw();
    name.focus();
  };

  const join = async (identity: Identity) => {
    setText(error, '');
    submit.disabled = true;
    try {
      await actions.joinAs(identity, actions.needsPassword() ? password.value : null);
      rememberIdentity(identity);
      password.value = '';
      editing = false;
      draw();
    } catch (failure) {
      setText(error, () => (failure instanceof ApiError ? errorText(failure) : t('identity.join_failed')));
    } finally {
      submit.disabled = false;
    }
  };

  form.addEventListener('submit', (submitted) => {
    submitted.preventDefault();
    void join({ name: name.value.trim(), outlet: outlet.value.trim() });
  });
  byId('identity-change').addEventListener('click', edit);
  cancel.addEventListener('click', () => {
    editing = false;
    draw();
    byId('identity-change').focus();
  });
  // "Forget me" asks the server to erase the name and outlet (privacy.ts), after a confirmation.

  const remembered = rememberedIdentity();
  name.value = remembered?.name ?? '';
  outlet.value = remembered?.outlet ?? '';
  store.watch(['me', 'event'], draw);
  onLanguageChange(draw);
}
