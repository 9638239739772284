import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { LIMITS, type QuestionView } from '@pressroom/protocol';
import { Icon } from '../../../shared/icon';
import { ParticipantNamePipe } from '../../../shared/i18n/participant-name';

let nextId = 0;

/**
 * One question: who asked it, when, its votes and text, the actions given as content, and an Edit
 * button that turns the text into a field (for a typo). Emits `edited` with the new text.
 */
@Component({
  selector: 'pr-question-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, Icon, ParticipantNamePipe],
  template: `
    <div class="meta">
      <span class="who">
        <strong>{{ question().name | participantName }}</strong>
        <span class="outlet">{{ question().outlet }}</span>
      </span>
      <span class="aside">
        @if (question().votes > 0) {
          <span class="pr-badge" [attr.aria-label]="votesLabel(question().votes)">▲ {{ question().votes }}</span>
        }
        <time class="pr-meta" [attr.datetime]="question().createdAt">{{ question().createdAt | date: 'HH:mm' }}</time>
      </span>
    </div>
    @if (editing()) {
      <form class="edit" (submit)="save($event, field.value)">
        <label class="pr-visually-hidden" [for]="fieldId" i18n="@@question.textLabel">Question text</label>
        <textarea
          #field
          class="pr-input"
          rows="3"
          [id]="fieldId"
          [value]="question().text"
          [attr.maxlength]="maxLength"
          [attr.aria-invalid]="blank()"
          (keydown.escape)="stopEditing()"
        ></textarea>
        @if (blank()) {
          <span class="pr-field-error" role="alert" i18n="@@question.empty">A question cannot be empty.</span>
        }
        <div class="actions">
          <button type="submit" class="pr-btn pr-btn-sm pr-btn-primary">
            <pr-icon name="check" /><ng-container i18n="@@common.save">Save</ng-container>
          </button>
          <button type="button" class="pr-btn pr-btn-sm" (click)="stopEditing()" i18n="@@common.cancel">Cancel</button>
        </div>
      </form>
    } @else {
      <p class="text">{{ question().text }}</p>
      <div class="actions">
        <ng-content />
        <button #editButton type="button" class="pr-btn pr-btn-sm pr-btn-ghost" (click)="startEditing()">
          <pr-icon name="pencil" /><ng-container i18n="@@question.edit">Edit</ng-container>
        </button>
      </div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
      min-width: 0;
    }
    .meta {
      display: flex;
      justify-content: space-between;
      gap: 0.5rem;
      font-size: 0.875rem;
    }
    .who {
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .outlet {
      margin-left: 0.4rem;
      color: var(--pr-text-muted);
    }
    .aside {
      display: flex;
      gap: 0.4rem;
      align-items: center;
      flex: none;
    }
    .text {
      margin: 0;
      white-space: pre-line;
      overflow-wrap: anywhere;
    }
    .edit {
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.35rem;
    }
  `,
})
export class QuestionCard {
  readonly question = input.required<QuestionView>();
  readonly edited = output<string>();

  protected readonly editing = signal(false);
  protected readonly blank = signal(false);
  protected readonly fieldId = `question-text-${nextId++}`;
  protected readonly maxLength = LIMITS.questionText;
  readonly #injector = inject(Injector);
  private readonly field = viewChild<ElementRef<HTMLTextAreaElement>>('field');
  private readonly editButton = viewChild<ElementRef<HTMLButtonElement>>('editButton');

  protected votesLabel(votes: number): string {
    return votes === 1
      ? $localize`:@@question.vote:${votes}:count: vote`
      : $localize`:@@question.votes:${votes}:count: votes`;
  }

  protected startEditing(): void {
    this.editing.set(true);
    afterNextRender({ write: () => this.field()?.nativeElement.focus() }, { injector: this.#injector });
  }

  protected stopEditing(): void {
    this.editing.set(false);
    this.blank.set(false);
    afterNextRender({ write: () => this.editButton()?.nativeElement.focus() }, { injector: this.#injector });
  }

  protected save(event: Event, text: string): void {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) {
      this.blank.set(true);
      return;
    }
    if (trimmed !== this.question().text) this.edited.emit(trimmed);
    this.stopEditing();
  }
}
