import { TestBed } from '@angular/core/testing';
import type { SpeakerView } from './stage.store';
import { SpeakerTile } from './speaker-tile';

describe('SpeakerTile', () => {
  const speaker = (fields: Partial<SpeakerView> = {}): SpeakerView => ({
    peerId: 'p1',
    name: 'Minister Ruiz',
    isSelf: false,
    isModerator: false,
    isGuest: false,
    outlet: null,
    camera: null,
    voice: null,
    microphoneMuted: false,
    speaking: false,
    ...fields,
  });

  async function render(view: SpeakerView, ownName: string | null = null) {
    const fixture = TestBed.createComponent(SpeakerTile);
    fixture.componentRef.setInput('speaker', view);
    fixture.componentRef.setInput('ownName', ownName);
    await fixture.whenStable();
    const figure = (fixture.nativeElement as HTMLElement).querySelector('figure')!;
    return {
      figure,
      caption: figure.querySelector('figcaption')!.textContent,
      name: figure.getAttribute('aria-label'),
    };
  }

  it('without a camera shows initials; its name tells a muted microphone and who is speaking', async () => {
    const { figure, caption, name } = await render(speaker({ microphoneMuted: true }));
    expect(figure.querySelector('video')).toBeNull();
    expect(figure.querySelector('.initials')!.textContent).toBe('MR');
    expect(caption).toBe('Minister Ruiz');
    expect(name).toBe('Minister Ruiz, microphone muted');
    expect(figure.querySelector('.muted')).not.toBeNull();
    expect(figure.classList.contains('speaking')).toBe(false);

    const talking = await render(speaker({ speaking: true, isModerator: true, name: 'Ms. Lind' }));
    expect(talking.caption).toBe('Ms. LindModerator');
    expect(talking.name).toBe('Ms. Lind, moderator, speaking');
    expect(talking.figure.classList.contains('speaking')).toBe(true);
  });

  it('names one’s own tile with one’s name once known', async () => {
    expect((await render(speaker({ isSelf: true, name: 'You' }))).name).toBe('You');
    const own = await render(speaker({ isSelf: true, name: 'You' }), 'Minister Ruiz');
    expect(own.caption).toBe('Minister Ruiz (you)');
    expect(own.name).toBe('Minister Ruiz (you)');
    expect(own.figure.querySelector('.initials')!.textContent).toBe('MR');
  });

  it('shows a guest (a journalist on stage) with a “Guest” badge, their name and outlet', async () => {
    const { caption, name, figure } = await render(
      speaker({ isGuest: true, name: 'Ana García', outlet: 'El País', microphoneMuted: true }),
    );
    expect(figure.querySelector('.guest')!.textContent).toBe('Guest');
    expect(figure.querySelector('.outlet')!.textContent).toBe('El País');
    expect(caption).toBe('Ana GarcíaEl PaísGuest');
    expect(name).toBe('Ana García, El País, guest, microphone muted');
  });
});
