import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApiClient, ApiError } from '@pressroom/live-client';
import type { PublicEvent, RestreamDestinationView, RestreamStatus } from '@pressroom/protocol';
import { NoticesStore } from '../../notices/notices.store';
import { BroadcastStore } from '../broadcast/broadcast.store';
import { aState, FakeControlRoomLive, provideFakeLive } from '../testing/fake-control-room-live';
import { RestreamPanel } from './restream-panel';
import { restreamStatusText, RestreamStore } from './restream.store';

const NOW = Date.parse('2026-01-15T10:00:00.000Z');
const PATH = '/api/events/budget/restream';

function aDestination(fields: Partial<RestreamDestinationView> = {}): RestreamDestinationView {
  return {
    id: 'd1',
    name: 'YouTube',
    url: 'rtmp://a.rtmp.youtube.com/live2',
    streamKeyHint: '••••wxyz',
    createdAt: '2026-01-15T09:00:00.000Z',
    status: { state: 'idle', reason: null, retryAt: null, since: '2026-01-15T09:00:00.000Z' },
    ...fields,
  };
}

const status = (fields: Partial<RestreamStatus>): RestreamStatus => ({
  state: 'idle',
  reason: null,
  retryAt: null,
  since: new Date(NOW).toISOString(),
  ...fields,
});

describe('RestreamPanel', () => {
  let live: FakeControlRoomLive;
  let fixture: ComponentFixture<RestreamPanel>;
  let element: HTMLElement;
  let listed: RestreamDestinationView[];
  const api = {
    get: vi.fn(async (path: string) => {
      if (path !== PATH) throw new Error(`unexpected GET ${path}`);
      return listed;
    }),
    post: vi.fn(),
    delete: vi.fn(),
  };
  const text = (selector: string) =>
    [...element.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
  const type = (name: string, value: string) => {
    const input = element.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const submit = () => element.querySelector<HTMLButtonElement>('button[type="submit"]')!;

  /** The fake API's answers arrive, the panel shows them. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fixture.whenStable();
  }

  async function connect(eventStatus: PublicEvent['status'] = 'scheduled'): Promise<void> {
    const state = aState();
    live.emit('state', { ...state, event: { ...state.event, status: eventStatus } });
    await settle();
  }

  beforeEach(async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval'] });
    listed = [];
    for (const mock of Object.values(api)) mock.mockClear();
    live = new FakeControlRoomLive();
    TestBed.configureTestingModule({
      providers: [provideFakeLive(live), { provide: ApiClient, useValue: api }, BroadcastStore, RestreamStore],
    });
    fixture = TestBed.createComponent(RestreamPanel);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => vi.useRealTimers());

  it('lists the destinations on connecting, keys masked, with each status as it changes', async () => {
    listed = [aDestination(), aDestination({ id: 'd2', name: 'PeerTube', url: 'rtmps://peertube.example/live' })];
    await connect('live');
    expect(text('.entry strong')).toEqual(['YouTube', 'PeerTube']);
    expect(text('.entry .where')[0]).toBe('rtmp://a.rtmp.youtube.com/live2 · key ••••wxyz');
    expect(text('[data-testid="restream-count"]')).toEqual(['2 / 5']);
    // Live: no changes, no form.
    expect(element.querySelector('form')).toBeNull();
    expect(element.querySelector('button')).toBeNull();
    expect(element.textContent).toContain('Destinations can change only before the event goes live.');

    live.emit('restream:status', { destinationId: 'd1', status: status({ state: 'live' }) });
    live.emit('restream:status', {
      destinationId: 'd2',
      status: status({ state: 'retrying', reason: 'Connection refused', retryAt: new Date(NOW + 5_000).toISOString() }),
    });
    await fixture.whenStable();
    expect(text('.entry .state')).toEqual(['Live', 'Retrying']);
    expect(text('.entry .status')).toEqual(['Live', 'Retrying in 5 s · Connection refused']);

    // The countdown follows the clock.
    vi.advanceTimersByTime(2_000);
    await settle();
    expect(text('.entry .status')[1]).toBe('Retrying in 3 s · Connection refused');
  });

  it("checks the URL and the key by the server's rules before sending, and forgets the key once added", async () => {
    await connect();
    expect(element.textContent).toContain('No platform yet');
    expect(submit().disabled).toBe(true);
    type('name', 'YouTube');
    type('url', 'https://a.rtmp.youtube.com/live2');
    type('streamKey', 'abcd efgh');
    await fixture.whenStable();
    expect(text('.pr-field-error')).toEqual([
      'url must start with rtmp:// or rtmps://',
      'streamKey must not contain spaces or control characters',
    ]);
    expect(submit().disabled).toBe(true);
    expect(element.querySelector<HTMLInputElement>('input[name="streamKey"]')!.type).toBe('password');

    type('url', 'rtmp://a.rtmp.youtube.com/live2');
    type('streamKey', 'abcd-efgh-ijkl-wxyz');
    await fixture.whenStable();
    expect(text('.pr-field-error')).toEqual([]);
    api.post.mockResolvedValueOnce(aDestination());
    submit().click();
    await settle();
    expect(api.post).toHaveBeenCalledWith(PATH, {
      name: 'YouTube',
      url: 'rtmp://a.rtmp.youtube.com/live2',
      streamKey: 'abcd-efgh-ijkl-wxyz',
    });
    expect(text('.entry strong')).toEqual(['YouTube']);
    expect(element.querySelector<HTMLInputElement>('input[name="streamKey"]')!.value).toBe('');
    expect(element.innerHTML).not.toContain('abcd-efgh-ijkl-wxyz');
  });

  it('removes a destination, and says why when the server refuses (the form keeps what was typed)', async () => {
    listed = [aDestination()];
    await connect();
    api.delete.mockResolvedValueOnce(undefined);
    element.querySelector<HTMLButtonElement>('[aria-label="Remove YouTube"]')!.click();
    await settle();
    expect(api.delete).toHaveBeenCalledWith(`${PATH}/d1`);
    expect(text('.entry strong')).toEqual([]);

    type('name', 'Facebook');
    type('url', 'rtmps://live-api-s.facebook.com:443/rtmp/');
    type('streamKey', 'FB-123-0-AbC?s_bl=1');
    await fixture.whenStable();
    api.post.mockRejectedValueOnce(
      new ApiError(409, 'restream_locked', 'Restream destinations cannot change while the event is live'),
    );
    submit().click();
    await settle();
    expect(TestBed.inject(NoticesStore).notices()[0]!.text).toBe(
      'Could not add the destination: Restream destinations cannot change while the event is live',
    );
    expect(element.querySelector<HTMLInputElement>('input[name="name"]')!.value).toBe('Facebook');
  });

  it('hides the form once the event has as many destinations as it may', async () => {
    listed = ['1', '2', '3', '4', '5'].map((n) => aDestination({ id: n, name: `P${n}` }));
    await connect();
    expect(text('[data-testid="restream-count"]')).toEqual(['5 / 5']);
    expect(element.querySelector('form')).toBeNull();
    expect(element.querySelectorAll('[aria-label^="Remove"]')).toHaveLength(5);
  });
});

describe('restreamStatusText', () => {
  it('reads every state', () => {
    expect(restreamStatusText(status({ state: 'idle' }), NOW)).toBe('Starts when the event goes live');
    expect(restreamStatusText(status({ state: 'connecting' }), NOW)).toBe('Connecting…');
    expect(restreamStatusText(status({ state: 'failed', reason: 'Broken pipe' }), NOW)).toBe('Failed: Broken pipe');
    const retryAt = new Date(NOW + 30_000).toISOString();
    expect(restreamStatusText(status({ state: 'retrying', reason: 'x', retryAt }), NOW + 40_000)).toBe(
      'Retrying now · x',
    );
  });
});
