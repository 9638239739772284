import { TestBed } from '@angular/core/testing';
import type { EventDetails, PublicEvent, RecordingStatus } from '@pressroom/protocol';
import { ApiClient, ApiError } from '@pressroom/live-client';
import { NoticesStore } from '../../notices/notices.store';
import { aState, FakeControlRoomLive, provideFakeLive } from '../testing/fake-control-room-live';
import { BroadcastStore } from './broadcast.store';
import { RecordingStore } from './recording.store';

const STATUS_PATH = '/api/events/budget/recording';

describe('RecordingStore', () => {
  let live: FakeControlRoomLive;
  let store: RecordingStore;
  let retentionHours: number;
  /** The answers to the status, one per request (the last one repeats). */
  let answers: Array<RecordingStatus | Error>;
  const fetchMock = vi.fn<typeof fetch>();
  const get = vi.fn(async (path: string): Promise<unknown> => {
    if (path === '/api/events/budget/details') return { ...aState().event, id: 'e1', retentionHours } as EventDetails;
    if (path !== STATUS_PATH) throw new Error(`unexpected GET ${path}`);
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (answer instanceof Error) throw answer;
    return answer;
  });
  const statusRequests = () => get.mock.calls.filter(([path]) => path === STATUS_PATH).length;

  const recording = (fields: Partial<RecordingStatus>): RecordingStatus => ({
    state: 'ready',
    downloadUrl: '/api/events/budget/recording.mp4?key=k1',
    downloadUrlExpiresInSeconds: 600,
    ...fields,
  });
  const preparing = recording({ state: 'preparing', retryAfterSeconds: 5 });

  async function openEvent(hours: number): Promise<void> {
    retentionHours = hours;
    await TestBed.inject(BroadcastStore).open('budget');
    TestBed.tick();
  }

  async function end(): Promise<void> {
    const event: PublicEvent = { ...aState().event, status: 'ended', endedAt: '2026-01-15T11:00:00.000Z' };
    live.emit('event:status', { status: 'ended', event });
    TestBed.tick();
    await vi.advanceTimersByTimeAsync(0);
  }

  beforeEach(() => {
    vi.useFakeTimers();
    get.mockClear();
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    answers = [];
    live = new FakeControlRoomLive();
    TestBed.configureTestingModule({
      providers: [provideFakeLive(live), { provide: ApiClient, useValue: { get } }, BroadcastStore, RecordingStore],
    });
    store = TestBed.inject(RecordingStore);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('asks nothing before the end, then asks every retryAfterSeconds while the recording is made', async () => {
    answers = [preparing, preparing, recording({ sizeBytes: 1000, durationSeconds: 60 })];
    await openEvent(2);
    live.emit('state', aState({ event: { ...aState().event, status: 'live' } }));
    TestBed.tick();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statusRequests()).toBe(0);

    await end();
    expect(store.recording()?.state).toBe('preparing');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(statusRequests()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(statusRequests()).toBe(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(store.recording()).toMatchObject({ state: 'ready', sizeBytes: 1000 });
  });

  it('renews the download link while it is ready, well before its key expires', async () => {
    answers = [recording({}), recording({ downloadUrl: '/api/events/budget/recording.mp4?key=k2' })];
    await openEvent(2);
    await end();
    expect(store.recording()!.downloadUrl).toContain('key=k1');
    await vi.advanceTimersByTimeAsync(300_000);
    expect(store.recording()!.downloadUrl).toContain('key=k2');
  });

  it('asks nothing when the recording is deleted at the end (retention 0)', async () => {
    answers = [preparing];
    await openEvent(0);
    await end();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statusRequests()).toBe(0);
    expect(store.recording()).toBeNull();
  });

  it('says when the status could not be had, and asks again later', async () => {
    answers = [new ApiError(0, 'unreachable', 'The server could not be reached.'), recording({ state: 'empty' })];
    await openEvent(2);
    await end();
    expect(store.problem()).toBe('Could not check the recording: The server could not be reached.');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(store.problem()).toBeNull();
    expect(store.recording()!.state).toBe('empty');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(statusRequests()).toBe(2);
  });

  it('stops asking once the recording is gone with the purge', async () => {
    answers = [preparing, new ApiError(404, 'not_found', 'Recording not found')];
    await openEvent(2);
    await end();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(store.recording()).toBeNull();
    expect(store.problem()).toBeNull();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statusRequests()).toBe(2);
  });

  it('makes a failed recording again by asking for the file with a fresh link, then follows it', async () => {
    answers = [
      recording({ state: 'failed' }),
      recording({ state: 'failed', downloadUrl: '/api/events/budget/recording.mp4?key=fresh' }),
      preparing,
    ];
    fetchMock.mockResolvedValue(new Response(null, { status: 202 }));
    await openEvent(2);
    await end();
    expect(store.recording()!.state).toBe('failed');

    const retrying = store.retry();
    expect(store.retrying()).toBe(true);
    await retrying;
    expect(fetchMock).toHaveBeenCalledWith('/api/events/budget/recording.mp4?key=fresh', { method: 'HEAD' });
    expect(store.retrying()).toBe(false);
    expect(store.recording()!.state).toBe('preparing');
  });

  it('says when a failed recording could not be tried again', async () => {
    answers = [recording({ state: 'failed' })];
    fetchMock.mockResolvedValue(new Response(null, { status: 409 }));
    await openEvent(2);
    await end();
    await store.retry();
    expect(TestBed.inject(NoticesStore).notices()[0]!.text).toBe(
      'Could not try the recording again: the server answered 409',
    );
    expect(store.recording()!.state).toBe('failed');
  });

  it('stops asking when the control room closes', async () => {
    answers = [preparing];
    await openEvent(2);
    await end();
    TestBed.resetTestingModule();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statusRequests()).toBe(1);
  });
});
