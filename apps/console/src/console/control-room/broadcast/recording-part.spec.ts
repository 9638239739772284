import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { EventStatus, RecordingStatus } from '@pressroom/protocol';
import { RecordingPart } from './recording-part';

describe('RecordingPart', () => {
  let fixture: ComponentFixture<RecordingPart>;
  let element: HTMLElement;
  let retried: number;

  const recording = (fields: Partial<RecordingStatus>): RecordingStatus => ({
    state: 'ready',
    downloadUrl: '/api/events/budget/recording.mp4?key=k1',
    downloadUrlExpiresInSeconds: 600,
    ...fields,
  });
  const text = () => element.textContent!.replace(/\s+/g, ' ').trim();
  /** What is shown, line by line. */
  const lines = () =>
    [...element.querySelectorAll('h3, p, a, button')].map((line) => line.textContent!.replace(/\s+/g, ' ').trim());

  async function show(
    eventStatus: EventStatus,
    retentionHours: number | null,
    status: RecordingStatus | null,
    extra: { problem?: string; retrying?: boolean } = {},
  ): Promise<void> {
    fixture.componentRef.setInput('eventStatus', eventStatus);
    fixture.componentRef.setInput('retentionHours', retentionHours);
    fixture.componentRef.setInput('recording', status);
    fixture.componentRef.setInput('problem', extra.problem ?? null);
    fixture.componentRef.setInput('retrying', extra.retrying ?? false);
    await fixture.whenStable();
  }

  beforeEach(() => {
    retried = 0;
    fixture = TestBed.createComponent(RecordingPart);
    element = fixture.nativeElement as HTMLElement;
    fixture.componentInstance.retried.subscribe(() => retried++);
  });

  it('says before the end until when the recording can be downloaded', async () => {
    await show('live', 48, null);
    expect(lines()).toEqual([
      'Recording',
      "Once the event has ended, it can be downloaded here as an MP4 until the event's data is deleted, 48 h after the end.",
    ]);
  });

  it('says that the recording is deleted at the end when nothing is kept (retention 0)', async () => {
    await show('scheduled', 0, null);
    expect(text()).toContain("Deleted at the end with the event's data (retention 0 hours)");
    await show('ended', 0, null);
    expect(text()).toContain('there will be nothing to download');
    expect(element.querySelector('a')).toBeNull();
  });

  it('says while the recording is being made, and how long it is', async () => {
    await show('ended', 2, null);
    expect(lines()).toEqual(['Recording', 'Checking the recording…']);
    await show('ended', 2, recording({ state: 'preparing', durationSeconds: 725.4, retryAfterSeconds: 5 }));
    expect(lines()).toEqual(['Recording', 'Preparing the recording…', '12 min 5 s of broadcast']);
    expect(element.querySelector('[aria-live="polite"]')!.textContent).toContain('Preparing the recording…');
  });

  it('offers the ready MP4 as a plain download link, with its size and duration', async () => {
    await show('ended', 2, recording({ sizeBytes: 1_234_567_890, durationSeconds: 3725 }));
    const link = element.querySelector('a')!;
    expect(link.textContent!.trim()).toBe('Download recording (MP4)');
    expect(link.getAttribute('href')).toBe('/api/events/budget/recording.mp4?key=k1');
    expect(link.hasAttribute('download')).toBe(true);
    expect(element.querySelector('.pr-meta')!.textContent!.trim()).toBe('1.2 GB · 1 h 2 min');

    await show('ended', 2, recording({ sizeBytes: 35_049_000, durationSeconds: 40 }));
    expect(element.querySelector('.pr-meta')!.textContent!.trim()).toBe('35 MB · 40 s');
  });

  it("offers each caption language's WebVTT file beside the MP4, by its name", async () => {
    await show('ended', 2, recording({ sizeBytes: 35_049_000, durationSeconds: 40 }));
    expect(element.querySelector('.captions')).toBeNull();
    const captions = [
      { language: 'es', mp4Language: 'spa', url: '/api/events/budget/recording/captions/es.vtt?key=k1' },
      { language: 'fr', mp4Language: 'fra', url: '/api/events/budget/recording/captions/fr.vtt?key=k1' },
    ];
    await show('ended', 2, recording({ sizeBytes: 35_049_000, durationSeconds: 40, captions }));
    const links = [...element.querySelectorAll<HTMLAnchorElement>('.captions a')];
    expect(
      links.map((link) => [link.textContent!.trim(), link.getAttribute('href'), link.hasAttribute('download')]),
    ).toEqual([
      ['Spanish (es)', captions[0]!.url, true],
      ['French (fr)', captions[1]!.url, true],
    ]);
  });

  it('says when nothing was recorded', async () => {
    await show('ended', 2, recording({ state: 'empty' }));
    expect(lines()).toEqual(['Recording', 'Nothing was recorded: the event was never on air.']);
  });

  it('offers to make a failed recording again, once at a time', async () => {
    await show('ended', 2, recording({ state: 'failed' }));
    expect(text()).toContain('The recording could not be made.');
    const button = element.querySelector('button')!;
    expect(button.textContent!.trim()).toBe('Try again');
    button.click();
    expect(retried).toBe(1);

    await show('ended', 2, recording({ state: 'failed' }), { retrying: true });
    expect(element.querySelector('button')!.disabled).toBe(true);
    expect(element.querySelector('button')!.textContent!.trim()).toBe('Trying again…');
  });

  it('says when the recording could not be checked', async () => {
    await show('ended', 2, null, { problem: 'Could not check the recording: The server could not be reached.' });
    expect(element.querySelector('[role="alert"]')!.textContent).toBe(
      'Could not check the recording: The server could not be reached.',
    );
    expect(text()).not.toContain('Checking the recording…');
  });
});
