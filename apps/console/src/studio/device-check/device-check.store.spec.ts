import { TestBed } from '@angular/core/testing';
import { DEVICES, FakeAudioLevel, FakeMediaDevices, type FakeTrack } from '../testing/fakes';
import { AudioLevel } from './audio-level';
import { DeviceCheckStore } from './device-check.store';
import { DeviceError, MediaDevices, type DeviceRequest } from './media-devices';

describe('DeviceCheckStore', () => {
  let media: FakeMediaDevices;
  let level: FakeAudioLevel;
  let store: DeviceCheckStore;

  beforeEach(() => {
    media = new FakeMediaDevices();
    level = new FakeAudioLevel();
    TestBed.configureTestingModule({
      providers: [
        { provide: MediaDevices, useValue: media },
        { provide: AudioLevel, useValue: level },
      ],
    });
    store = TestBed.inject(DeviceCheckStore);
  });

  afterEach(() => localStorage.clear());

  /** From now on the browser refuses these sources, whether asked together or alone. */
  function refuse(refusals: Partial<Record<keyof DeviceRequest, DeviceError>>): void {
    const open = new FakeMediaDevices().open;
    media.open.mockImplementation(async (request) => {
      for (const source of Object.keys(request) as Array<keyof DeviceRequest>) {
        const refusal = refusals[source];
        if (refusal) throw refusal;
      }
      const tracks = await open(request);
      media.opened.push(...(Object.values(tracks) as unknown as FakeTrack[]));
      return tracks;
    });
  }

  it('opens the default camera and microphone with one request, lists the devices, and may join', async () => {
    await store.start();
    expect(media.open).toHaveBeenCalledTimes(1);
    expect(media.open).toHaveBeenCalledWith({ microphone: null, camera: null });
    expect(store.status()).toBe('ready');
    expect(store.devices()).toEqual(DEVICES);
    expect(store.selected()).toEqual({ microphone: 'mic-1', camera: 'cam-1', speaker: null });
    expect(store.problems()).toEqual({});
    expect(store.canJoin()).toBe(true);
    expect(level.watch).toHaveBeenCalledWith(store.microphone(), expect.any(Function));
  });

  it('with the camera blocked, keeps the microphone and names the camera’s problem', async () => {
    refuse({ camera: new DeviceError('denied', 'Permission denied') });
    await store.start();
    expect(store.camera()).toBeNull();
    expect(store.microphone()).not.toBeNull();
    expect(store.problems()).toEqual({ camera: 'denied' });
    expect(store.canJoin()).toBe(true);
  });

  it('with no devices at all, may not join; “try again” opens what is there now', async () => {
    refuse({
      camera: new DeviceError('missing', 'Requested device not found'),
      microphone: new DeviceError('missing', 'Requested device not found'),
    });
    await store.start();
    expect(store.problems()).toEqual({ camera: 'missing', microphone: 'missing' });
    expect(store.canJoin()).toBe(false);

    refuse({ camera: new DeviceError('missing', 'Requested device not found') });
    await store.retry();
    expect(store.problems()).toEqual({ camera: 'missing' });
    expect(store.microphone()).not.toBeNull();
    expect(store.canJoin()).toBe(true);
  });

  it('switches to another microphone: the old one stops, the meter follows the new one and listens afresh', async () => {
    await store.start();
    const old = store.microphone() as unknown as FakeTrack;
    level.report(0.6);
    expect(store.heard()).toBe(true);

    const track = await store.choose('microphone', 'mic-2');
    expect(store.selected().microphone).toBe('mic-2');
    expect(store.microphone()).toBe(track);
    expect(old.stop).toHaveBeenCalled();
    expect(level.stopped).toHaveBeenCalled();
    expect(store.heard()).toBe(false);
    expect(store.level()).toBe(0);
    level.report(0.1);
    expect(store.heard()).toBe(false);
    level.report(0.4);
    expect(store.heard()).toBe(true);
  });

  it('falls back to the default device when the one in use goes away', async () => {
    await store.start();
    await store.choose('camera', 'cam-2');
    const unplugged = store.camera() as unknown as FakeTrack;
    unplugged.dispatchEvent(new Event('ended'));
    await vi.waitFor(() => expect(store.selected().camera).toBe('cam-1'));
    expect(media.open).toHaveBeenLastCalledWith({ camera: null });

    refuse({ camera: new DeviceError('missing', 'Requested device not found') });
    (store.camera() as unknown as FakeTrack).dispatchEvent(new Event('ended'));
    await vi.waitFor(() => expect(store.camera()).toBeNull());
    expect(store.problems()).toEqual({ camera: 'missing' });
  });

  it('keeps the working camera when the chosen one is busy, and says why until the next choice', async () => {
    await store.start();
    const working = store.camera() as unknown as FakeTrack;
    refuse({ camera: new DeviceError('busy', 'Could not start video source') });
    expect(await store.choose('camera', 'cam-2')).toBeNull();
    expect(store.camera()).toBe(working as unknown as MediaStreamTrack);
    expect(working.stop).not.toHaveBeenCalled();
    expect(store.selected().camera).toBe('cam-1');
    expect(store.switchFailure()).toEqual({ source: 'camera', problem: 'busy' });
    expect(store.problems()).toEqual({});

    refuse({});
    await store.choose('camera', 'cam-2');
    expect(store.switchFailure()).toBeNull();
    expect(store.selected().camera).toBe('cam-2');
  });

  it('shows the device being opened as selected meanwhile', async () => {
    await store.start();
    let open!: () => void;
    const opening = new Promise<void>((resolve) => (open = resolve));
    const openNow = media.open.getMockImplementation()!;
    media.open.mockImplementationOnce(async (request) => {
      await opening;
      return openNow(request);
    });
    const choosing = store.choose('microphone', 'mic-2');
    expect(store.selected().microphone).toBe('mic-2');
    expect(store.microphone()!.getSettings().deviceId).toBe('mic-1');
    open();
    await choosing;
    expect(store.microphone()!.getSettings().deviceId).toBe('mic-2');
  });

  it('remembers the devices chosen for the next visit, by id only', async () => {
    await store.start();
    await store.choose('microphone', 'mic-2');
    await store.choose('camera', 'cam-2');
    store.chooseSpeaker('out-2');
    store.stop();

    const nextVisit = TestBed.runInInjectionContext(() => new DeviceCheckStore());
    await nextVisit.start();
    expect(media.open).toHaveBeenLastCalledWith({ microphone: { preferred: 'mic-2' }, camera: { preferred: 'cam-2' } });
    expect(nextVisit.selected()).toEqual({ microphone: 'mic-2', camera: 'cam-2', speaker: 'out-2' });
    expect(JSON.parse(localStorage.getItem('pressroom.studio.devices')!)).toEqual({
      microphone: 'mic-2',
      camera: 'cam-2',
      speaker: 'out-2',
    });
  });

  it('devices remembered but gone give way to the default ones', async () => {
    localStorage.setItem(
      'pressroom.studio.devices',
      JSON.stringify({ microphone: 'gone-mic', camera: 'gone-cam', speaker: 'gone-out' }),
    );
    await store.start();
    expect(store.selected()).toEqual({ microphone: 'mic-1', camera: 'cam-1', speaker: null });
  });

  it('a device that fails to switch is not remembered', async () => {
    await store.start();
    refuse({ microphone: new DeviceError('missing', 'Requested device not found') });
    await store.choose('microphone', 'mic-2');
    expect(localStorage.getItem('pressroom.studio.devices')).toBeNull();
  });

  it('plays the test sound on the chosen speakers', async () => {
    await store.start();
    store.chooseSpeaker('out-2');
    await store.playTestSound();
    expect(media.playTestSound).toHaveBeenCalledWith('out-2');
    expect(store.testSound()).toBe('played');

    media.playTestSound.mockRejectedValueOnce(new Error('NotFoundError'));
    await store.playTestSound();
    expect(store.testSound()).toBe('failed');
  });

  it('stop lets every device go; devices opened after it are let go too', async () => {
    await store.start();
    store.stop();
    expect(media.opened.every((track) => track.stop.mock.calls.length > 0)).toBe(true);
    expect(store.camera()).toBeNull();
    expect(store.status()).toBe('idle');

    const starting = store.start();
    store.stop();
    await starting;
    expect(media.opened.every((track) => track.stop.mock.calls.length > 0)).toBe(true);
    expect(store.microphone()).toBeNull();
    expect(store.status()).toBe('idle');
  });
});
