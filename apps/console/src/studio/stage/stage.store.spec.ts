import { TestBed } from '@angular/core/testing';
import { AudioLevel } from '../device-check/audio-level';
import { DeviceCheckStore } from '../device-check/device-check.store';
import { DeviceError, MediaDevices } from '../device-check/media-devices';
import {
  FakeAudioLevel,
  FakeMediaDevices,
  FakeMediaStream,
  FakeStudioClient,
  remotePeer,
  type FakeTrack,
} from '../testing/fakes';
import { StageStore } from './stage.store';

describe('StageStore', () => {
  let media: FakeMediaDevices;
  let devices: DeviceCheckStore;
  let client: FakeStudioClient;
  let stage: StageStore;

  beforeEach(async () => {
    vi.stubGlobal('MediaStream', FakeMediaStream);
    media = new FakeMediaDevices();
    TestBed.configureTestingModule({
      providers: [
        { provide: MediaDevices, useValue: media },
        { provide: AudioLevel, useValue: new FakeAudioLevel() },
      ],
    });
    devices = TestBed.inject(DeviceCheckStore);
    stage = TestBed.inject(StageStore);
    await devices.start();
    client = new FakeStudioClient();
    await stage.enter(client.asClient);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  const speaker = (name: string) => stage.speakers().find((s) => s.name === name)!;

  it('sends the microphone and camera of the device check', () => {
    expect(client.publish).toHaveBeenCalledTimes(1);
    const sent = client.publish.mock.calls[0]![0] as unknown as FakeMediaStream;
    expect(sent.tracks).toEqual([devices.microphone(), devices.camera()]);
  });

  it('sends the new track in place of the old one when a device goes away and the default one takes over', async () => {
    const unplugged = devices.microphone() as unknown as FakeTrack;
    unplugged.dispatchEvent(new Event('ended'));
    await vi.waitFor(() => expect(devices.microphone()).not.toBe(unplugged));
    TestBed.tick();
    await vi.waitFor(() => expect(client.replaceTrack).toHaveBeenCalledWith('microphone', devices.microphone()));
    expect(client.publish).toHaveBeenCalledTimes(1);
  });

  it('a camera chosen on stage replaces the one sent; a camera turned off stays off', async () => {
    await stage.toggleCamera();
    await devices.choose('camera', 'cam-2');
    TestBed.tick();
    await vi.waitFor(() => expect(client.replaceTrack).toHaveBeenCalledWith('camera', devices.camera()));
    expect(client.publish).toHaveBeenCalledTimes(1);
    expect(client.unmute).not.toHaveBeenCalled();
    expect(stage.cameraOff()).toBe(true);
    expect(speaker('You').camera).toBeNull();

    await stage.toggleCamera();
    expect(speaker('You').camera).toBe(devices.camera());
    expect(devices.selected().camera).toBe('cam-2');
  });

  it('a microphone chosen on stage keeps the mute, and a track the studio cannot take is reported', async () => {
    await stage.toggleMicrophone();
    client.replaceTrack.mockRejectedValueOnce(new Error('studio:produce failed (timeout)'));
    await devices.choose('microphone', 'mic-2');
    TestBed.tick();
    await vi.waitFor(() =>
      expect(stage.problem()).toBe('Your new microphone could not be sent. Leave and join again.'),
    );
    expect(client.replaceTrack).toHaveBeenCalledWith('microphone', devices.microphone());
    expect(stage.microphoneMuted()).toBe(true);
  });

  it('the others’ voices play on the speakers chosen on stage', () => {
    expect(stage.outputId()).toBeNull();
    devices.chooseSpeaker('out-2');
    expect(stage.outputId()).toBe('out-2');
  });

  it('shows oneself first, then each peer with their camera, voice and microphone state', () => {
    client.emit('peers', [
      remotePeer('p1', 'Minister Ruiz', ['microphone', 'camera']),
      remotePeer('p2', 'Dr. Okafor', ['microphone', 'camera'], ['microphone', 'camera']),
    ]);
    expect(stage.speakers().map((s) => s.name)).toEqual(['You', 'Minister Ruiz', 'Dr. Okafor']);
    expect(speaker('You')).toMatchObject({
      isSelf: true,
      camera: devices.camera(),
      voice: null,
      microphoneMuted: false,
    });
    expect(speaker('Minister Ruiz')).toMatchObject({ microphoneMuted: false, camera: expect.anything() });
    expect(speaker('Minister Ruiz').voice).not.toBeNull();
    // Muted and camera off: still heard from (the paused track plays silence), shown with initials.
    expect(speaker('Dr. Okafor')).toMatchObject({ microphoneMuted: true, camera: null });
  });

  it('shows a journalist on stage as a guest with their outlet, and nobody else as one', () => {
    client.emit('peers', [
      remotePeer('p1', 'Minister Ruiz', ['microphone']),
      { ...remotePeer('p2', 'Ana García', ['microphone', 'camera']), role: 'guest', outlet: 'El País' },
    ]);
    expect(speaker('Ana García')).toMatchObject({ isGuest: true, outlet: 'El País', isModerator: false });
    expect(speaker('Minister Ruiz')).toMatchObject({ isGuest: false, outlet: null });
    expect(speaker('You')).toMatchObject({ isGuest: false, outlet: null });
  });

  it('highlights the active speaker, never a muted one, and follows the active speaker to oneself', () => {
    client.emit('peers', [
      remotePeer('p1', 'Minister Ruiz', ['microphone', 'camera']),
      remotePeer('p2', 'Dr. Okafor', ['microphone'], ['microphone']),
    ]);
    client.emit('activeSpeaker', 'p1');
    expect(
      stage
        .speakers()
        .filter((s) => s.speaking)
        .map((s) => s.name),
    ).toEqual(['Minister Ruiz']);
    client.emit('activeSpeaker', 'p2');
    expect(stage.speakers().some((s) => s.speaking)).toBe(false);
    client.emit('activeSpeaker', client.selfId);
    expect(speaker('You').speaking).toBe(true);
  });

  it('mutes and unmutes the microphone, and turns the camera off and on', async () => {
    await stage.toggleMicrophone();
    expect(client.mute).toHaveBeenLastCalledWith('microphone');
    expect(stage.microphoneMuted()).toBe(true);
    expect(speaker('You').microphoneMuted).toBe(true);
    await stage.toggleMicrophone();
    expect(client.unmute).toHaveBeenLastCalledWith('microphone');
    expect(stage.microphoneMuted()).toBe(false);

    await stage.toggleCamera();
    expect(client.mute).toHaveBeenLastCalledWith('camera');
    expect(stage.cameraOff()).toBe(true);
    expect(speaker('You').camera).toBeNull();
    await stage.toggleCamera();
    expect(client.unmute).toHaveBeenLastCalledWith('camera');
    expect(speaker('You').camera).toBe(devices.camera());
  });

  it('tells the speaker when a switch fails, until the next try', async () => {
    client.mute.mockRejectedValueOnce(new Error('studio:pauseProducer failed (timeout)'));
    await stage.toggleMicrophone();
    expect(stage.problem()).toBe('Your microphone could not be switched. Try again.');
    await stage.toggleMicrophone();
    expect(stage.problem()).toBeNull();
  });

  it('shares a screen and stops it; the browser’s own “stop sharing” ends it too', async () => {
    await stage.toggleScreen();
    const screen = (await media.captureScreen.mock.results[0]!.value) as unknown as FakeTrack;
    expect(client.shareScreen).toHaveBeenCalledWith(screen);
    expect(stage.sharingScreen()).toBe(true);
    expect(stage.screens()).toEqual([expect.objectContaining({ isSelf: true })]);

    await stage.toggleScreen();
    expect(screen.stop).toHaveBeenCalled();
    expect(client.stopScreenShare).toHaveBeenCalled();
    expect(stage.sharingScreen()).toBe(false);

    await stage.toggleScreen();
    const second = (await media.captureScreen.mock.results[1]!.value) as unknown as FakeTrack;
    second.dispatchEvent(new Event('ended'));
    expect(stage.sharingScreen()).toBe(false);
  });

  it('cancelling the screen picker is no problem; a capture that fails is', async () => {
    media.captureScreen.mockRejectedValueOnce(new DeviceError('denied', 'Permission denied by user'));
    await stage.toggleScreen();
    expect(stage.problem()).toBeNull();
    expect(client.shareScreen).not.toHaveBeenCalled();

    media.captureScreen.mockRejectedValueOnce(new DeviceError('failed', 'Could not start video source'));
    await stage.toggleScreen();
    expect(stage.problem()).toContain('could not be captured');
  });

  it('shows others’ shared screens large', () => {
    client.emit('peers', [remotePeer('p1', 'Minister Ruiz', ['microphone', 'camera', 'screen'])]);
    expect(stage.screens()).toEqual([expect.objectContaining({ peerId: 'p1', name: 'Minister Ruiz', isSelf: false })]);
  });

  it('follows the connection, and forgets the studio on exit', () => {
    client.emit('state', 'recovering', 'The media server restarted');
    expect(stage.connection()).toBe('recovering');
    client.emit('state', 'publishing', null);
    expect(stage.connection()).toBe('publishing');

    client.emit('peers', [remotePeer('p1', 'Minister Ruiz', ['camera'])]);
    stage.exit();
    expect(client.listening('peers')).toBe(0);
    expect(stage.speakers().map((s) => s.name)).toEqual(['You']);
  });
});
