import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { EventForm } from './event-form';
import { newEventForm, type EventFormValue } from './event-form-value';

describe('EventForm', () => {
  let fixture: ComponentFixture<EventForm>;
  let element: HTMLElement;
  const saved: EventFormValue[] = [];

  const input = (label: string) =>
    [...element.querySelectorAll('label')]
      .find((l) => l.textContent!.trim().startsWith(label))!
      .querySelector<HTMLInputElement>('input, textarea')!;
  const type = async (label: string, value: string) => {
    const field = input(label);
    field.value = value;
    field.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  const submit = async () => {
    element.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await fixture.whenStable();
  };

  beforeEach(async () => {
    saved.length = 0;
    fixture = TestBed.createComponent(EventForm);
    element = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('value', newEventForm(new Date(2026, 0, 15, 9, 20)));
    fixture.componentRef.setInput('creating', true);
    fixture.componentInstance.saved.subscribe((value) => saved.push(value));
    await fixture.whenStable();
  });

  it('says what is missing instead of saving', async () => {
    await submit();
    expect(saved).toEqual([]);
    expect(element.textContent).toContain('Give the event a title.');
    expect(input('Title').getAttribute('aria-invalid')).toBe('true');
  });

  it('refuses an address the server would refuse, and a retention that is not a whole number of hours', async () => {
    await type('Title', 'Budget');
    await type('Address', 'Not A Slug');
    await type('Retention', '1.5');
    await submit();
    expect(saved).toEqual([]);
    expect(input('Address').getAttribute('aria-invalid')).toBe('true');
    expect(input('Retention').getAttribute('aria-invalid')).toBe('true');
  });

  it('saves valid values', async () => {
    await type('Title', 'Budget briefing');
    await type('Retention', '24');
    await submit();
    expect(saved).toEqual([
      expect.objectContaining({ title: 'Budget briefing', retentionHours: 24, chatMode: 'post' }),
    ]);
  });

  it('offers to remove the password only when editing an event that has one', async () => {
    expect(element.textContent).not.toContain('Remove the password');
    fixture.componentRef.setInput('creating', false);
    fixture.componentRef.setInput('passwordRequired', true);
    await fixture.whenStable();
    expect(element.textContent).toContain('Remove the password');
    expect(element.querySelector('button[type="submit"]')!.textContent!.trim()).toBe('Save changes');
  });
});
