/**
 * The journalist invited on stage: the invitation's dialog with its countdown, Accept and Decline; on
 * accepting, the studio in place of the broadcast (whose sound would echo and lag), until the turn ends.
 * The device check and the WebRTC code come from `./studio-guest`, a chunk loaded only when an invitation
 * arrives: the thousands who never go on stage never download it.
 */
import type { LiveConnection } from '@pressroom/live-client';
import type { JoinResponse, MyStageView, StageEndReason } from '@pressroom/protocol';
import { announce, byId, errorText, h, setText, show } from './dom';
import { participantName, t, type PageKey } from './i18n';
import type { Player } from './player';
import type { ViewerStore } from './store';
import type { DeviceCheck, GuestStudio } from './studio-guest';

type StudioModule = typeof import('./studio-guest');

const ENDED: Record<StageEndReason, PageKey> = {
  removed: 'stage.removed',
  left: 'stage.left',
  disconnected: 'stage.disconnected',
  'event ended': 'event.ended',
  withdrawn: 'stage.withdrawn',
  lapsed: 'stage.lapsed',
};
/** Remembers the camera choice for a reload while on stage. */
const CAMERA_KEY = 'pressroom.stage.camera';

export interface GuestPage {
  connection: LiveConnection;
  player: Player;
  /** The journalist's access to the event, also good for the studio once on stage. */
  access(): JoinResponse | null;
}

/** `snapshot`: my place on stage in the latest `state`, when one came before this was mounted. */
export function mountGuest(
  store: ViewerStore,
  { connection, player, access }: GuestPage,
  snapshot?: MyStageView | null,
): void {
  const dialog = byId<HTMLDialogElement>('stage-invite');
  const timeLeft = byId('stage-time-left');
  const checkStatus = byId('stage-check-status');
  const level = byId('stage-level');
  const levelBar = byId('stage-level-bar');
  const cameraBox = byId<HTMLInputElement>('stage-camera');
  const previewBox = byId('stage-preview-box');
  /** The camera's preview, made when the camera is turned on (the page has one video until then: the broadcast). */
  const setPreview = (track: MediaStreamTrack | null) => {
    previewBox.replaceChildren();
    if (!track) return;
    const video = h('video', { id: 'stage-preview', class: 'preview', playsinline: true, muted: true, autoplay: true });
    video.muted = true;
    video.srcObject = new MediaStream([track]);
    previewBox.append(video);
    void video.play().catch(() => undefined);
  };
  const error = byId('stage-error');
  const accept = byId<HTMLButtonElement>('stage-accept');
  const decline = byId<HTMLButtonElement>('stage-decline');
  const screen = document.querySelector<HTMLElement>('.screen')!;
  const actions = document.querySelector<HTMLElement>('.stage-actions')!;
  const onStage = byId('on-stage');
  const status = byId('on-stage-status');
  const leave = byId<HTMLButtonElement>('stage-leave');

  let module: Promise<StudioModule> | null = null;
  const load = () => (module ??= import('./studio-guest'));
  /** The open invitation's deadline, or null. */
  let expiresAt: number | null = null;
  let countdown = 0;
  let check: DeviceCheck | null = null;
  let studio: GuestStudio | null = null;
  /** Set from accepting until the studio is left: the broadcast is off meanwhile. */
  let staged = false;
  /** A moderator muted the guest's microphone. */
  let mutedByModerator = false;

  const drawMuted = (muted: boolean) => {
    setText(status, () => (muted ? t('stage.muted') : t('stage.on_stage')));
    status.classList.toggle('muted', muted);
  };

  const closeInvitation = () => {
    expiresAt = null;
    window.clearInterval(countdown);
    if (dialog.open) dialog.close();
    setPreview(null);
    if (check && !check.handedOver) check.stop();
    check = null;
  };

  const tick = () => {
    if (expiresAt === null) return;
    const left = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
    timeLeft.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    // The server says so too (`stage:ended` lapsed); closing here does not wait for it.
    if (left === 0) {
      closeInvitation();
      announce(t(ENDED.lapsed));
    }
  };

  const invited = async (deadline: string) => {
    if (staged || expiresAt !== null) return;
    expiresAt = Date.parse(deadline);
    setText(error, '');
    accept.disabled = true;
    decline.disabled = false;
    cameraBox.checked = false;
    cameraBox.disabled = true;
    level.setAttribute('aria-valuenow', '0');
    levelBar.style.width = '0';
    setText(checkStatus, () => t('stage.checking'));
    tick();
    countdown = window.setInterval(tick, 250);
    dialog.showModal();
    announce(t('stage.invited'));
    try {
      const { DeviceCheck } = await load();
      const opened = await DeviceCheck.open();
      if (expiresAt === null) return opened.stop();
      check = opened;
      opened.meter((percent) => {
        levelBar.style.width = `${percent}%`;
        level.setAttribute('aria-valuenow', String(percent));
      });
      setText(checkStatus, () => t('stage.say_something'));
      accept.disabled = false;
      cameraBox.disabled = false;
    } catch (failure) {
      setText(checkStatus, '');
      setText(error, () => t('stage.no_microphone', { reason: describe(failure) }));
    }
  };

  const backToBroadcast = async (note: (() => string) | null) => {
    const wasStaged = staged;
    staged = false;
    mutedByModerator = false;
    const leaving = studio;
    studio = null;
    sessionStorage.removeItem(CAMERA_KEY);
    show(onStage, false);
    show(screen, true);
    show(actions, true);
    await leaving?.leave();
    if (wasStaged) void player.start();
    if (note) announce(note());
  };

  const goOnStage = async (checked: DeviceCheck, muted: boolean) => {
    const me = access();
    if (!me) return;
    staged = true;
    mutedByModerator = muted;
    player.stop();
    show(screen, false);
    show(actions, false);
    show(onStage, true);
    // On a phone the hand's button is far below: the studio comes into view.
    onStage.scrollIntoView({ block: 'nearest' });
    leave.disabled = false;
    status.classList.remove('muted');
    setText(status, () => t('stage.joining'));
    try {
      const { GuestStudio } = await load();
      const name = store.state.me?.name ? participantName(store.state.me.name) : t('stage.you');
      const joined = await GuestStudio.join(
        me,
        checked,
        {
          peers: byId('studio-peers'),
          failed: (message) => void backToBroadcast(() => message),
        },
        name,
      );
      if (!staged) return void joined.leave();
      studio = joined;
      drawMuted(muted || mutedByModerator);
      announce(t('stage.on_stage_now'));
    } catch (failure) {
      await backToBroadcast(() => t('stage.join_failed', { reason: describe(failure) }));
    }
  };

  cameraBox.addEventListener('change', async () => {
    if (!check) return;
    check.wake();
    try {
      const track = await check.camera(cameraBox.checked);
      setPreview(track);
      setText(error, '');
    } catch (failure) {
      cameraBox.checked = false;
      setText(error, () => t('stage.no_camera', { reason: describe(failure) }));
    }
  });
  dialog.addEventListener('click', () => check?.wake());
  // Escape would close the dialog without an answer: the journalist answers with a button.
  dialog.addEventListener('cancel', (event) => event.preventDefault());

  decline.addEventListener('click', async () => {
    decline.disabled = true;
    const reply = await connection.send('stage:decline', {});
    closeInvitation();
    announce(reply.ok ? t('stage.declined') : errorText(reply.error));
  });

  accept.addEventListener('click', async () => {
    if (!check) return;
    accept.disabled = true;
    setText(error, '');
    const reply = await connection.send('stage:accept', {});
    if (!reply.ok) {
      const refusal = reply.error;
      setText(error, () => errorText(refusal));
      accept.disabled = false;
      return;
    }
    const checked = check;
    sessionStorage.setItem(CAMERA_KEY, cameraBox.checked ? 'on' : 'off');
    // The tracks go on stage with the guest: closing the invitation must not stop them.
    checked.handOver();
    closeInvitation();
    await goOnStage(checked, false);
  });

  leave.addEventListener('click', async () => {
    leave.disabled = true;
    const reply = await connection.send('stage:leave', {});
    if (reply.ok || !staged) return void backToBroadcast(() => t(ENDED.left));
    leave.disabled = false;
    announce(errorText(reply.error));
  });

  connection.on('stage:invited', ({ expiresAt: deadline }) => void invited(deadline));
  connection.on('stage:muted', ({ muted }) => {
    mutedByModerator = muted;
    if (staged) drawMuted(muted);
    announce(muted ? t('stage.muted') : t('stage.unmuted'));
  });
  connection.on('stage:ended', ({ reason }) => {
    if (expiresAt !== null) {
      closeInvitation();
      return announce(t(ENDED[reason]));
    }
    if (staged) void backToBroadcast(() => t(ENDED[reason]));
  });
  connection.on('state', ({ myStage }) => void resume(myStage));

  /** A snapshot after (re)connecting or a reload: an open invitation shows again; a turn goes on. */
  const resume = async (mine: MyStageView | null) => {
    mutedByModerator = mine?.status === 'onStage' && mine.muted;
    if (!mine) {
      if (expiresAt !== null) closeInvitation();
      if (staged) await backToBroadcast(null);
      return;
    }
    if (mine.status === 'invited') return invited(mine.expiresAt);
    if (staged) return drawMuted(mine.muted);
    // Back on the page while on stage (a reload): the same devices go on stage again.
    try {
      const { DeviceCheck } = await load();
      const checked = await DeviceCheck.open();
      if (sessionStorage.getItem(CAMERA_KEY) === 'on') await checked.camera(true).catch(() => null);
      await goOnStage(checked, mine.muted);
    } catch (failure) {
      announce(t('stage.no_microphone_left', { reason: describe(failure) }));
      await connection.send('stage:leave', {});
    }
  };
  if (snapshot !== undefined) void resume(snapshot);
}

function describe(failure: unknown): string {
  if (failure instanceof DOMException && failure.name === 'NotAllowedError') return t('device.refused');
  if (failure instanceof DOMException && failure.name === 'NotFoundError') return t('device.none');
  return failure instanceof Error ? failure.message : t('device.unknown');
}
