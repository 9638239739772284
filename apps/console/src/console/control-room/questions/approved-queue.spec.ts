import { CdkDropList, type CdkDragDrop } from '@angular/cdk/drag-drop';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import type { QuestionView } from '@pressroom/protocol';
import { aQuestion } from '../testing/fake-control-room-live';
import { ApprovedQueue, type QueueMove } from './approved-queue';

describe('ApprovedQueue', () => {
  let fixture: ComponentFixture<ApprovedQueue>;
  let element: HTMLElement;
  const moves: QueueMove[] = [];
  const onAir: Array<string | null> = [];

  async function show(questions: QuestionView[]): Promise<void> {
    fixture.componentRef.setInput('questions', questions);
    await fixture.whenStable();
  }

  const items = () => [...element.querySelectorAll('li')];
  const button = (item: Element, name: string) =>
    [...item.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === name)!;

  beforeEach(async () => {
    moves.length = 0;
    onAir.length = 0;
    fixture = TestBed.createComponent(ApprovedQueue);
    element = fixture.nativeElement as HTMLElement;
    fixture.componentInstance.moved.subscribe((move) => moves.push(move));
    fixture.componentInstance.onAirChanged.subscribe((id) => onAir.push(id));
    await show([
      aQuestion({ id: 'a', text: 'First', status: 'approved', position: 1 }),
      aQuestion({ id: 'b', text: 'Second', status: 'approved', position: 2, onAir: true }),
      aQuestion({ id: 'c', text: 'Third', status: 'approved', position: 3 }),
    ]);
  });

  it('shows the questions numbered in their order', () => {
    expect(items().map((li) => li.querySelector('.number')!.textContent!.trim())).toEqual(['1', '2', '3']);
    expect(items().map((li) => li.querySelector('.text')!.textContent)).toEqual(['First', 'Second', 'Third']);
  });

  it('moves with the buttons, which stop at the ends', () => {
    const [first, second, third] = items();
    expect(button(first!, 'Move up').disabled).toBe(true);
    expect(button(third!, 'Move down').disabled).toBe(true);
    button(second!, 'Move up').click();
    button(second!, 'Move down').click();
    expect(moves).toEqual([
      { from: 1, to: 0 },
      { from: 1, to: 2 },
    ]);
  });

  it('reports a drop at another place as a move, and ignores a drop in place', () => {
    const dropList = fixture.debugElement.query(By.directive(CdkDropList)).injector.get(CdkDropList);
    dropList.dropped.emit({ previousIndex: 2, currentIndex: 0 } as CdkDragDrop<unknown>);
    dropList.dropped.emit({ previousIndex: 1, currentIndex: 1 } as CdkDragDrop<unknown>);
    expect(moves).toEqual([{ from: 2, to: 0 }]);
  });

  it('offers to take the question on air off, and to put any other on air', () => {
    const [first, second] = items();
    expect(second!.textContent).toContain('On air');
    button(second!, 'Take off air').click();
    button(first!, 'Put on air').click();
    expect(onAir).toEqual([null, 'a']);
  });

  it('says so when the queue is empty', async () => {
    await show([]);
    expect(element.textContent).toContain('No approved questions');
  });
});
