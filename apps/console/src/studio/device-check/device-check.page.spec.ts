import { TestBed } from '@angular/core/testing';
import { FakeAudioLevel, FakeMediaDevices } from '../testing/fakes';
import { AudioLevel } from './audio-level';
import { DeviceCheckPage } from './device-check.page';
import { DeviceCheckStore } from './device-check.store';
import { DeviceError, MediaDevices } from './media-devices';

describe('DeviceCheckPage', () => {
  let media: FakeMediaDevices;
  let level: FakeAudioLevel;

  beforeEach(() => {
    // jsdom plays no media: the preview only needs play() to answer.
    vi.stubGlobal('MediaStream', class {});
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    media = new FakeMediaDevices();
    level = new FakeAudioLevel();
    TestBed.configureTestingModule({
      providers: [
        { provide: MediaDevices, useValue: media },
        { provide: AudioLevel, useValue: level },
      ],
    });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    localStorage.clear();
  });

  async function render() {
    await TestBed.inject(DeviceCheckStore).start();
    const fixture = TestBed.createComponent(DeviceCheckPage);
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const button = (name: string) =>
      [...page.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) as HTMLButtonElement;
    return { fixture, page, button };
  }

  it('lists the devices by label, shows the level, and joins', async () => {
    const { fixture, page, button } = await render();
    const cameras = page.querySelector<HTMLSelectElement>('#' + page.querySelector('label')!.htmlFor)!;
    expect([...cameras.options].map((o) => o.textContent)).toEqual(['Built-in camera', 'USB camera']);
    expect([...page.querySelectorAll('label')].map((l) => l.textContent?.trim())).toEqual([
      'Camera',
      'Microphone',
      'Speakers',
    ]);

    level.report(0.5);
    await fixture.whenStable();
    const meter = page.querySelector('[role="meter"]')!;
    expect(meter.getAttribute('aria-label')).toBe('Microphone level');
    expect(meter.getAttribute('aria-valuenow')).toBe('50');
    expect(page.textContent).toContain('We can hear you.');

    let joined = 0;
    fixture.componentInstance.join.subscribe(() => joined++);
    expect(button('Join the studio').disabled).toBe(false);
    button('Join the studio').click();
    expect(joined).toBe(1);
  });

  it('explains a blocked camera in an alert with “Try again”, and still lets the speaker join', async () => {
    media.open.mockImplementation(async (request) => {
      if ('camera' in request) throw new DeviceError('denied', 'Permission denied');
      return new FakeMediaDevices().open(request);
    });
    const { page, button } = await render();
    const alert = page.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('Your browser blocks the camera');
    expect(button('Try again')).toBeDefined();
    expect(page.querySelector('.no-camera')!.textContent).toContain('Camera blocked');
    const cameras = page.querySelector<HTMLSelectElement>('select')!;
    expect([...cameras.options].map((o) => o.textContent)).toEqual(['Camera blocked']);
    expect(cameras.disabled).toBe(true);
    expect(button('Join the studio').disabled).toBe(false);
    expect(page.textContent).toContain('You join with your microphone only.');
  });

  it('a device that cannot be switched to is explained below its list, which shows the one still in use', async () => {
    const { fixture, page } = await render();
    media.open.mockRejectedValueOnce(new DeviceError('busy', 'Could not start video source'));
    const cameras = page.querySelector('select')!;
    cameras.value = 'cam-2';
    cameras.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(TestBed.inject(DeviceCheckStore).switchFailure()).not.toBeNull());
    await fixture.whenStable();
    const problem = page.querySelector(`#${cameras.getAttribute('aria-describedby')}`)!;
    expect(problem.textContent).toContain(
      'This camera is in use by another app. You are still using the previous one.',
    );
    expect(problem.closest('[role="alert"]')).not.toBeNull();
    expect(cameras.value).toBe('cam-1');
    expect(page.querySelector('.problems')).toBeNull();
  });

  it('with no devices, says so and may not join', async () => {
    media.open.mockRejectedValue(new DeviceError('missing', 'Requested device not found'));
    const { page, button } = await render();
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('No camera or microphone was found');
    expect(button('Join the studio').disabled).toBe(true);
  });

  it('while joining, the button says so and waits', async () => {
    const { fixture, button } = await render();
    fixture.componentRef.setInput('joining', true);
    await fixture.whenStable();
    expect(button('Joining the studio…').disabled).toBe(true);
  });
});
