import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { uiLanguage } from '../../../shared/i18n/ui-language';
import type { CrewRole, CrewState } from '@pressroom/protocol';
import { Icon } from '../../../shared/icon';
import { ParticipantNamePipe } from '../../../shared/i18n/participant-name';
import { CrewStore } from './crew.store';

const ROLE_LABELS = (): Record<CrewRole, string> => ({
  captioner: $localize`:@@crew.job.captioner:Captions`,
  interpreter: $localize`:@@crew.job.interpreter:Interpretation`,
  signer: $localize`:@@crew.job.signer:Sign language`,
});

const STATE_LABELS = (): Record<CrewState, string> => ({
  offline: $localize`:@@crew.state.offline:Offline`,
  connected: $localize`:@@crew.state.connected:Connected`,
  sending: $localize`:@@crew.state.sending:Sending`,
  silent: $localize`:@@crew.state.silent:Silent`,
});

/** Who of the crew is there and working: each member's job, language and state, a captioner's latest words. */
@Component({
  selector: 'pr-crew-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, ParticipantNamePipe],
  template: `
    <section class="pr-panel panel" aria-labelledby="crew-title">
      <h2 id="crew-title" class="pr-panel-title">
        <pr-icon name="users" /><ng-container i18n="@@crew.title">Crew</ng-container>
      </h2>
      @if (store.members().length === 0) {
        <p class="pr-hint" i18n="@@crew.empty">
          No captioner, interpreter or signer yet: invite them under “Links &amp; export” with their role.
        </p>
      } @else {
        <ul class="crew">
          @for (member of store.members(); track member.inviteId) {
            <li>
              <div class="who">
                <span class="name">{{ member.name | participantName }}</span>
                <span class="job">{{ job(member.role, member.language) }}</span>
              </div>
              <span class="state" [attr.data-state]="member.state">
                <span class="dot" aria-hidden="true"></span>{{ stateLabel(member.state) }}
              </span>
              @if (member.latest; as latest) {
                <p class="latest" [class.interim]="latest.interim" [attr.lang]="member.language">
                  <span class="pr-visually-hidden">
                    @if (latest.interim) {
                      <ng-container i18n="@@crew.typing">Typing:</ng-container>
                    } @else {
                      <ng-container i18n="@@crew.lastLine">Last line:</ng-container>
                    }
                  </span>
                  {{ latest.text }}
                </p>
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
  styles: `
    .panel {
      display: flex;
      flex-direction: column;
      gap: 0.6rem;
      padding: 0.75rem;
    }
    .crew {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
    }
    li {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 0.2rem 0.5rem;
      align-items: center;
    }
    .who {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .name {
      overflow-wrap: anywhere;
      font-weight: 600;
    }
    .job {
      color: var(--pr-text-muted);
      font-size: 0.8125rem;
    }
    .state {
      display: inline-flex;
      align-items: center;
      gap: 0.35rem;
      font-size: 0.8125rem;
    }
    .dot {
      inline-size: 0.55rem;
      block-size: 0.55rem;
      border-radius: 50%;
      background: var(--pr-text-muted);
    }
    [data-state='connected'] .dot {
      background: var(--pr-accent);
    }
    [data-state='sending'] .dot {
      background: var(--pr-success);
    }
    [data-state='silent'] .dot {
      background: var(--pr-warning);
    }
    .latest {
      grid-column: 1 / -1;
      margin: 0;
      font-size: 0.875rem;
      overflow-wrap: anywhere;
    }
    .latest.interim {
      color: var(--pr-text-muted);
      font-style: italic;
    }
  `,
})
export class CrewPanel {
  protected readonly store = inject(CrewStore);

  protected job(role: CrewRole, language: string | null): string {
    return language ? `${ROLE_LABELS()[role]} · ${languageName(language)}` : ROLE_LABELS()[role];
  }

  protected stateLabel(state: CrewState): string {
    return STATE_LABELS()[state];
  }
}

/** "Spanish (es)": the name in the page's language, and the tag moderators typed. */
export function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames([uiLanguage()], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}
