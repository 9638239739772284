import { TestBed } from '@angular/core/testing';
import { AudioLevel } from '../device-check/audio-level';
import { DeviceCheckStore } from '../device-check/device-check.store';
import { MediaDevices } from '../device-check/media-devices';
import { FakeAudioLevel, FakeMediaDevices } from '../testing/fakes';
import { DeviceSettings } from './device-settings';

describe('DeviceSettings', () => {
  let level: FakeAudioLevel;
  let opener: HTMLButtonElement;

  beforeEach(async () => {
    // jsdom has <dialog> without its methods: these do what the browser does, Escape aside (see `escape`).
    HTMLDialogElement.prototype.showModal = vi.fn(function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    });
    HTMLDialogElement.prototype.close = vi.fn(function (this: HTMLDialogElement) {
      if (!this.open) return;
      this.removeAttribute('open');
      this.dispatchEvent(new Event('close'));
    });
    level = new FakeAudioLevel();
    TestBed.configureTestingModule({
      providers: [
        { provide: MediaDevices, useValue: new FakeMediaDevices() },
        { provide: AudioLevel, useValue: level },
      ],
    });
    await TestBed.inject(DeviceCheckStore).start();
    opener = document.body.appendChild(document.createElement('button'));
    opener.textContent = 'Settings';
  });

  afterEach(() => {
    opener.remove();
    delete (HTMLDialogElement.prototype as Partial<HTMLDialogElement>).showModal;
    delete (HTMLDialogElement.prototype as Partial<HTMLDialogElement>).close;
    localStorage.clear();
  });

  async function render() {
    const fixture = TestBed.createComponent(DeviceSettings);
    fixture.componentRef.setInput('open', false);
    await fixture.whenStable();
    const dialog = (fixture.nativeElement as HTMLElement).querySelector('dialog')!;
    let closed = 0;
    fixture.componentInstance.closed.subscribe(() => {
      closed++;
      fixture.componentRef.setInput('open', false);
    });
    const open = async () => {
      opener.focus();
      fixture.componentRef.setInput('open', true);
      await fixture.whenStable();
    };
    const button = (name: string) =>
      [...dialog.querySelectorAll('button')].find(
        (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
      )!;
    return { fixture, dialog, open, button, closed: () => closed };
  }

  it('opens as a modal dialog named for what it sets, on the first list, with the microphone meter', async () => {
    const { fixture, dialog, open } = await render();
    expect(dialog.open).toBe(false);
    await open();
    expect(dialog.showModal).toHaveBeenCalledTimes(1);
    expect(dialog.open).toBe(true);
    const name = document.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent;
    expect(name).toBe('Audio and video settings');
    expect([...dialog.querySelectorAll('label')].map((l) => l.textContent?.trim())).toEqual([
      'Camera',
      'Microphone',
      'Speakers',
    ]);
    expect(document.activeElement).toBe(dialog.querySelector('select'));

    level.report(0.42);
    await fixture.whenStable();
    expect(dialog.querySelector('[role="meter"]')!.getAttribute('aria-valuenow')).toBe('42');
  });

  it('Escape closes it and gives the focus back to what opened it', async () => {
    const { dialog, open, closed } = await render();
    await open();
    // The browser closes a modal dialog on Escape by itself.
    dialog.close();
    expect(closed()).toBe(1);
    expect(document.activeElement).toBe(opener);
  });

  it('“Done” and the close button close it too', async () => {
    const { fixture, dialog, open, button, closed } = await render();
    await open();
    button('Done').click();
    expect(dialog.open).toBe(false);
    await fixture.whenStable();
    await open();
    button('Close').click();
    expect(closed()).toBe(2);
    expect(document.activeElement).toBe(opener);
  });

  it('tells a muted speaker that the meter still listens, and shows a problem in an alert', async () => {
    const { fixture, dialog, open } = await render();
    fixture.componentRef.setInput('microphoneMuted', true);
    fixture.componentRef.setInput('problem', 'Your new camera could not be sent. Leave and join again.');
    await open();
    expect(dialog.textContent).toContain('Your microphone is muted: nobody hears you');
    expect(dialog.querySelector('[role="alert"]')!.textContent).toContain('Your new camera could not be sent.');
  });
});
