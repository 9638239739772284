import { TestBed } from '@angular/core/testing';
import { StageControls } from './stage-controls';

describe('StageControls', () => {
  async function render(state: Partial<Record<string, boolean>> = {}) {
    const fixture = TestBed.createComponent(StageControls);
    const inputs = {
      microphoneMuted: false,
      hasMicrophone: true,
      cameraOff: false,
      hasCamera: true,
      sharingScreen: false,
      canShareScreen: true,
      ...state,
    };
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    await fixture.whenStable();
    const names = () =>
      [...(fixture.nativeElement as HTMLElement).querySelectorAll('button')].map((b) => b.textContent?.trim());
    return { fixture, names };
  }

  it('names each button for what it does now', async () => {
    expect((await render()).names()).toEqual([
      'Mute microphone',
      'Turn camera off',
      'Share screen',
      'Settings',
      'Leave',
    ]);
    expect((await render({ microphoneMuted: true, cameraOff: true, sharingScreen: true })).names()).toEqual([
      'Unmute microphone',
      'Turn camera on',
      'Stop sharing',
      'Settings',
      'Leave',
    ]);
  });

  it('without a device, its button says so and does nothing; without screen capture there is no share button', async () => {
    const { fixture, names } = await render({ hasMicrophone: false, hasCamera: false, canShareScreen: false });
    expect(names()).toEqual(['No microphone', 'No camera', 'Settings', 'Leave']);
    const buttons = (fixture.nativeElement as HTMLElement).querySelectorAll('button');
    expect([...buttons].map((b) => b.disabled)).toEqual([true, true, false, false]);
  });

  it('tells what the speaker pressed', async () => {
    const { fixture } = await render();
    const pressed: string[] = [];
    const controls = fixture.componentInstance;
    controls.toggleMicrophone.subscribe(() => pressed.push('microphone'));
    controls.openSettings.subscribe(() => pressed.push('settings'));
    controls.leave.subscribe(() => pressed.push('leave'));
    const buttons = (fixture.nativeElement as HTMLElement).querySelectorAll('button');
    buttons[0]!.click();
    buttons[3]!.click();
    buttons[4]!.click();
    expect(pressed).toEqual(['microphone', 'settings', 'leave']);
  });

  it('names the settings button for what it opens', async () => {
    const { fixture } = await render();
    const settings = [...(fixture.nativeElement as HTMLElement).querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Settings',
    )!;
    expect(settings.getAttribute('aria-label')).toBe('Audio and video settings');
    expect(settings.getAttribute('aria-haspopup')).toBe('dialog');
  });
});
