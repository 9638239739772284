import type { EventDetails } from '@pressroom/protocol';
import {
  eventForm,
  fromLocalInput,
  newEventForm,
  toCreateRequest,
  toLocalInput,
  toUpdateRequest,
  type EventFormValue,
} from './event-form-value';

describe('event form values', () => {
  const filled: EventFormValue = {
    ...newEventForm(new Date(2026, 0, 15, 9, 20)),
    title: '  Budget briefing ',
    startsAt: '2026-01-15T10:00',
  };

  it('starts a new event at the next full hour, post-moderated, questions open, purged at the end', () => {
    expect(newEventForm(new Date(2026, 0, 15, 9, 20))).toMatchObject({
      startsAt: '2026-01-15T10:00',
      chatMode: 'post',
      questionsEnabled: true,
      retentionHours: 0,
    });
  });

  it('round-trips a local date and time through an ISO instant', () => {
    expect(toLocalInput(fromLocalInput('2026-03-29T02:30'))).toMatch(/^2026-03-29T0[23]:30$/);
    expect(toLocalInput(fromLocalInput('2026-12-31T23:59'))).toBe('2026-12-31T23:59');
  });

  it('creates with trimmed text and leaves out the empty optional fields', () => {
    expect(toCreateRequest(filled)).toEqual({
      title: 'Budget briefing',
      startsAt: fromLocalInput('2026-01-15T10:00'),
      chatMode: 'post',
      questionsEnabled: true,
      retentionHours: 0,
      slowModeSeconds: 0,
      language: null,
    });
    expect(toCreateRequest({ ...filled, slug: 'budget-2026', password: 'pw', description: 'x' })).toMatchObject({
      slug: 'budget-2026',
      password: 'pw',
      description: 'x',
    });
  });

  it('updates the password only when a new one is given, and removes it on request', () => {
    expect(toUpdateRequest(filled)).not.toHaveProperty('password');
    expect(toUpdateRequest({ ...filled, password: 'new' }).password).toBe('new');
    expect(toUpdateRequest({ ...filled, password: 'ignored', removePassword: true }).password).toBeNull();
  });

  it('fills the form from an event, never with its password', () => {
    const event = {
      slug: 'budget',
      title: 'Budget',
      description: 'd',
      startsAt: fromLocalInput('2026-01-15T10:00'),
      chatMode: 'pre',
      questionsEnabled: false,
      retentionHours: 24,
      slowModeSeconds: 5,
      passwordRequired: true,
      language: 'es',
    } as EventDetails;
    expect(eventForm(event)).toEqual({
      title: 'Budget',
      description: 'd',
      slug: 'budget',
      startsAt: '2026-01-15T10:00',
      password: '',
      removePassword: false,
      chatMode: 'pre',
      questionsEnabled: false,
      retentionHours: 24,
      slowModeSeconds: 5,
      language: 'es',
    });
  });
});
