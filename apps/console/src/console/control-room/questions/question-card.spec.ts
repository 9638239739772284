import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { aQuestion } from '../testing/fake-control-room-live';
import { QuestionCard } from './question-card';

describe('QuestionCard', () => {
  let fixture: ComponentFixture<QuestionCard>;
  let element: HTMLElement;
  const edits: string[] = [];

  const buttonNamed = (name: string) =>
    [...element.querySelectorAll('button')].find((b) => b.textContent!.trim() === name)!;
  const field = () => element.querySelector('textarea')!;

  async function edit(text: string): Promise<void> {
    buttonNamed('Edit').click();
    await fixture.whenStable();
    field().value = text;
    buttonNamed('Save').click();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    edits.length = 0;
    fixture = TestBed.createComponent(QuestionCard);
    element = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('question', aQuestion({ text: 'Waht about rail?', votes: 2 }));
    fixture.componentInstance.edited.subscribe((text) => edits.push(text));
    await fixture.whenStable();
  });

  it('shows who asked, from which outlet, the votes and the text', () => {
    expect(element.textContent).toContain('Ana García');
    expect(element.textContent).toContain('El País');
    expect(element.querySelector('[aria-label="2 votes"]')).not.toBeNull();
    expect(element.querySelector('.text')!.textContent).toBe('Waht about rail?');
  });

  it('turns the text into a labelled field and emits the corrected text, trimmed', async () => {
    buttonNamed('Edit').click();
    await fixture.whenStable();
    expect(field().value).toBe('Waht about rail?');
    expect(element.querySelector(`label[for="${field().id}"]`)!.textContent).toBe('Question text');

    field().value = '  What about rail? ';
    buttonNamed('Save').click();
    await fixture.whenStable();
    expect(edits).toEqual(['What about rail?']);
    expect(field()).toBeNull();
  });

  it('refuses an empty text and keeps the field open', async () => {
    await edit('   ');
    expect(edits).toEqual([]);
    expect(element.textContent).toContain('A question cannot be empty.');
    expect(field()).not.toBeNull();
  });

  it('emits nothing when the text did not change, or when the edit is cancelled', async () => {
    await edit('Waht about rail?');
    buttonNamed('Edit').click();
    await fixture.whenStable();
    field().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await fixture.whenStable();
    expect(edits).toEqual([]);
    expect(field()).toBeNull();
  });
});
