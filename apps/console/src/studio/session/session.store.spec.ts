import { TestBed } from '@angular/core/testing';
import type { JoinResponse, LiveState, PublicEvent } from '@pressroom/protocol';
import { ApiError } from '@pressroom/live-client';
import { StudioAccessError, StudioRequestError } from '@pressroom/studio-client';
import { AudioLevel } from '../device-check/audio-level';
import { DeviceCheckStore } from '../device-check/device-check.store';
import { MediaDevices } from '../device-check/media-devices';
import { QuestionsStore } from '../questions/questions.store';
import { StageStore } from '../stage/stage.store';
import { FakeAudioLevel, FakeMediaDevices, FakeMediaStream, FakeStudioClient, question } from '../testing/fakes';
import { SessionStore } from './session.store';
import { StudioConnector } from './studio-connector';

const EVENT: PublicEvent = {
  slug: 'budget',
  title: 'Budget press conference',
  description: '',
  startsAt: '2027-01-01T10:00:00.000Z',
  status: 'scheduled',
  chatMode: 'post',
  questionsEnabled: true,
  passwordRequired: false,
  slowModeSeconds: 0,
  joinLocked: false,
  startedAt: null,
  endedAt: null,
  language: null,
};

const access = (token: string): JoinResponse => ({
  accessToken: token,
  role: 'speaker',
  participantId: 'me',
  expiresAt: '2027-01-03T10:00:00.000Z',
});

function liveState(fields: Partial<LiveState> = {}): LiveState {
  return {
    me: { participantId: 'me', role: 'speaker', name: 'Minister Ruiz', outlet: null, muted: false },
    event: EVENT,
    chat: [],
    questions: [],
    votedQuestionIds: [],
    restrictions: [],
    stage: null,
    myStage: null,
    hand: null,
    hands: [],
    counters: null,
    ...fields,
  };
}

describe('SessionStore', () => {
  let client: FakeStudioClient;
  let connector: {
    event: ReturnType<typeof vi.fn>;
    access: ReturnType<typeof vi.fn>;
    connect: ReturnType<typeof vi.fn>;
  };
  let session: SessionStore;
  let devices: DeviceCheckStore;

  beforeEach(() => {
    vi.stubGlobal('MediaStream', FakeMediaStream);
    client = new FakeStudioClient();
    connector = {
      event: vi.fn(async () => EVENT),
      access: vi.fn(async () => access('token-1')),
      connect: vi.fn(async () => client.asClient),
    };
    TestBed.configureTestingModule({
      providers: [
        { provide: StudioConnector, useValue: connector },
        { provide: MediaDevices, useValue: new FakeMediaDevices() },
        { provide: AudioLevel, useValue: new FakeAudioLevel() },
      ],
    });
    session = TestBed.inject(SessionStore);
    devices = TestBed.inject(DeviceCheckStore);
  });

  afterEach(() => vi.unstubAllGlobals());

  async function openAndJoin(): Promise<void> {
    await session.open('budget', 'invite-token');
    await vi.waitFor(() => expect(devices.canJoin()).toBe(true));
    await session.join();
  }

  it('checks the invite and the event, then runs the device check', async () => {
    const opening = session.open('budget', 'invite-token');
    expect(session.phase()).toBe('loading');
    await opening;
    expect(connector.access).toHaveBeenCalledWith('budget', 'invite-token');
    expect(session.phase()).toBe('checking');
    expect(session.event()).toEqual(EVENT);
    await vi.waitFor(() => expect(devices.status()).toBe('ready'));
  });

  it('a link without its invite is explained, and nothing is asked of the server', async () => {
    await session.open('budget', undefined);
    expect(session.phase()).toBe('closed');
    expect(session.closure()?.heading).toBe('This link is incomplete');
    expect(connector.access).not.toHaveBeenCalled();
  });

  it.each([
    [403, 'invite_revoked', 'This invite was withdrawn', false],
    [401, 'unauthorized', 'This invite link does not work', false],
    [404, 'not_found', 'We could not find this event', false],
    [410, 'event_purged', 'This event is over', false],
    [0, 'unreachable', 'We could not reach the studio', true],
  ] as const)('a refused invite (%s %s) says “%s”', async (status, code, heading, canRetry) => {
    connector.access.mockRejectedValueOnce(new ApiError(status, code, 'refused'));
    await session.open('budget', 'invite-token');
    expect(session.phase()).toBe('closed');
    expect(session.closure()).toMatchObject({ heading, canRetry });
    expect(devices.status()).toBe('idle');
  });

  it('an event that already ended says so before any device is opened', async () => {
    connector.event.mockResolvedValueOnce({ ...EVENT, status: 'ended' });
    await session.open('budget', 'invite-token');
    expect(session.closure()).toMatchObject({ heading: 'This event has ended', tone: 'info' });
    expect(devices.status()).toBe('idle');
  });

  it('joins: the stage gets the studio, the questions come from the live state', async () => {
    await openAndJoin();
    expect(connector.connect).toHaveBeenCalledWith(access('token-1'));
    expect(session.phase()).toBe('live');
    expect(client.publish).toHaveBeenCalled();

    client.emit('live', { name: 'state', payload: liveState({ questions: [question({ text: 'Rail line?' })] }) });
    expect(session.speakerName()).toBe('Minister Ruiz');
    expect(
      TestBed.inject(QuestionsStore)
        .upNext()
        .map((q) => q.text),
    ).toEqual(['Rail line?']);

    client.emit('live', { name: 'question:approved', payload: question({ text: 'Hospitals?' }) });
    expect(
      TestBed.inject(QuestionsStore)
        .upNext()
        .map((q) => q.text),
    ).toEqual(['Rail line?', 'Hospitals?']);
  });

  it('a join that fails for the network goes back to the device check with the reason', async () => {
    connector.connect.mockRejectedValueOnce(new StudioAccessError('unreachable', 'xhr poll error'));
    await openAndJoin();
    expect(session.phase()).toBe('checking');
    expect(session.joinProblem()).toContain('We could not reach the studio');

    await session.join();
    expect(session.phase()).toBe('live');
    expect(session.joinProblem()).toBeNull();
  });

  it('an access token that expired while the page stayed open is renewed with the invite', async () => {
    connector.connect.mockRejectedValueOnce(new StudioAccessError('unauthorized', 'The token has expired'));
    connector.access.mockResolvedValueOnce(access('token-1')).mockResolvedValueOnce(access('token-2'));
    await openAndJoin();
    expect(connector.connect).toHaveBeenLastCalledWith(access('token-2'));
    expect(session.phase()).toBe('live');
  });

  it('joining an event that ended meanwhile says so', async () => {
    connector.connect.mockRejectedValueOnce(
      new StudioRequestError('studio:join', 'event_closed', 'This event has ended'),
    );
    await openAndJoin();
    expect(session.phase()).toBe('closed');
    expect(session.closure()?.heading).toBe('This event has ended');
  });

  it('when the moderators end the event, the stay ends with that news and the devices are let go', async () => {
    await openAndJoin();
    client.emit('live', { name: 'event:status', payload: { status: 'ended', event: { ...EVENT, status: 'ended' } } });
    expect(session.closure()?.heading).toBe('This event has ended');
    expect(client.leave).toHaveBeenCalled();
    expect(devices.camera()).toBeNull();
    expect(TestBed.inject(StageStore).speakers()).toHaveLength(1);
  });

  it('when the studio fails for good, the page names the reason', async () => {
    await openAndJoin();
    client.failure = { code: 'invite_revoked', message: 'This invite was revoked' };
    client.emit('state', 'failed', 'This invite was revoked');
    expect(session.phase()).toBe('closed');
    expect(session.closure()).toMatchObject({ heading: 'This invite was withdrawn', canRetry: false });
  });

  it('a lost connection may be retried: “try again” checks the invite anew', async () => {
    await openAndJoin();
    client.failure = { code: 'disconnected', message: 'disconnected by the server' };
    client.emit('state', 'failed', 'disconnected by the server');
    expect(session.closure()).toMatchObject({ heading: 'The connection to the studio was lost', canRetry: true });

    await session.rejoin();
    expect(connector.access).toHaveBeenCalledTimes(2);
    expect(session.phase()).toBe('checking');
  });

  it('leaves, and can join again from the device check', async () => {
    await openAndJoin();
    await session.leave();
    expect(session.phase()).toBe('left');
    expect(client.leave).toHaveBeenCalled();
    expect(client.listening('live')).toBe(0);
    expect(devices.microphone()).toBeNull();

    await session.rejoin();
    expect(session.phase()).toBe('checking');
    await vi.waitFor(() => expect(devices.canJoin()).toBe(true));
  });
});
