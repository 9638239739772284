import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { roleName } from '../../../shared/i18n/role-name';
import { LIMITS, ROLES_WITH_LANGUAGE, type InviteRole } from '@pressroom/protocol';
import { languageName } from '../crew/crew-panel';
import { Icon } from '../../../shared/icon';
import { participantName, ParticipantNamePipe } from '../../../shared/i18n/participant-name';
import { viewerLink } from '../../events/event-links';
import { LinkCopier } from '../../notices/link-copier';
import { SharingStore } from './sharing.store';

/** The links to hand out (the audience's page, the speakers' invites) and the transcript to take away. */
@Component({
  selector: 'pr-sharing-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, ParticipantNamePipe],
  template: `
    <section class="pr-panel panel" aria-labelledby="sharing-title">
      <h2 id="sharing-title" class="pr-panel-title">
        <pr-icon name="link" /><ng-container i18n="@@sharing.title">Links &amp; export</ng-container>
      </h2>

      <div class="pr-field">
        <label class="pr-label" for="viewer-link" i18n="@@events.viewerLink">Viewer link</label>
        <div class="row">
          <input id="viewer-link" class="pr-input mono" readonly [value]="viewerLink()" (focus)="selectAll($event)" />
          <button
            type="button"
            class="pr-btn pr-btn-icon"
            aria-label="Copy viewer link"
            i18n-aria-label="@@sharing.copyViewer"
            (click)="copyViewerLink()"
          >
            <pr-icon name="copy" />
          </button>
        </div>
      </div>

      <div class="pr-field">
        <h3 class="pr-label" i18n="@@sharing.invites">Speakers and crew</h3>
        @if (store.invites().length > 0) {
          <ul class="invites">
            @for (invite of store.invites(); track invite.id) {
              <li [class.revoked]="invite.revokedAt">
                <span class="name"
                  >{{ invite.name | participantName }}
                  @if (invite.role !== 'speaker') {
                    <span class="pr-badge role"
                      >{{ roleLabel(invite.role) }}{{ invite.language ? ' · ' + invite.language : '' }}</span
                    >
                  }
                </span>
                @if (invite.revokedAt) {
                  <span class="pr-badge" i18n="@@sharing.revoked">Revoked</span>
                } @else {
                  <button
                    type="button"
                    class="pr-btn pr-btn-sm"
                    [attr.aria-label]="copyLinkLabel(invite.name)"
                    (click)="copier.copy(inviteLinkOf(invite.name), invite.inviteUrl)"
                  >
                    <pr-icon name="copy" /><ng-container i18n="@@sharing.copyLink">Copy link</ng-container>
                  </button>
                  <button
                    type="button"
                    class="pr-btn pr-btn-sm pr-btn-ghost pr-btn-icon pr-btn-danger"
                    [attr.aria-label]="revokeLabel(invite.name)"
                    (click)="store.revoke(invite.id)"
                  >
                    <pr-icon name="trash" />
                  </button>
                }
              </li>
            }
          </ul>
        }
        <form class="invite-form" (submit)="invite($event, speakerName)">
          <label class="pr-visually-hidden" for="speaker-name" i18n="@@sharing.nameLabel">Speaker name</label>
          <input
            #speakerName
            id="speaker-name"
            class="pr-input"
            placeholder="Name"
            i18n-placeholder="@@sharing.namePlaceholder"
            required
            [attr.maxlength]="nameLimit"
          />
          <div class="row">
            <label class="pr-label inline-label" for="invite-role" i18n="@@sharing.role">Role</label>
            <select id="invite-role" class="pr-input" [value]="role()" (change)="role.set($any($event.target).value)">
              @for (option of roles; track option.value) {
                <option [value]="option.value">{{ option.label }}</option>
              }
            </select>
          </div>
          @if (needsLanguage()) {
            <div class="row">
              <label class="pr-label inline-label" for="invite-language" i18n="@@sharing.language">Language</label>
              <input
                id="invite-language"
                class="pr-input"
                placeholder="es, fr, en-GB…"
                list="invite-languages"
                maxlength="35"
                required
                aria-describedby="invite-language-hint"
                [value]="language()"
                (input)="language.set($any($event.target).value)"
              />
              <datalist id="invite-languages">
                @for (tag of commonLanguages; track tag) {
                  <option [value]="tag">{{ languageName(tag) }}</option>
                }
              </datalist>
            </div>
            <span id="invite-language-hint" class="pr-hint">
              @if (role() === 'captioner') {
                <ng-container i18n="@@sharing.languageHintCaptioner"
                  >The language they caption in, as a BCP 47 tag.</ng-container
                >
              } @else {
                <ng-container i18n="@@sharing.languageHintInterpreter"
                  >The language they interpret into, as a BCP 47 tag.</ng-container
                >
              }
            </span>
          }
          <button type="submit" class="pr-btn" [disabled]="store.inviting()">
            <pr-icon name="plus" /><ng-container i18n="@@sharing.invite">Invite</ng-container>
          </button>
        </form>
        <span class="pr-hint" i18n="@@sharing.invitesHint">
          Each speaker or crew member gets a personal studio link; revoke it to let them out.
        </span>
      </div>

      <div class="pr-field">
        <h3 class="pr-label" i18n="@@sharing.transcript">Transcript</h3>
        <div class="row">
          <button
            type="button"
            class="pr-btn pr-btn-sm"
            aria-label="Export transcript as Markdown"
            i18n-aria-label="@@sharing.exportMarkdown"
            [disabled]="store.exporting()"
            (click)="store.exportTranscript('markdown')"
          >
            <pr-icon name="download" />Markdown
          </button>
          <button
            type="button"
            class="pr-btn pr-btn-sm"
            aria-label="Export transcript as JSON"
            i18n-aria-label="@@sharing.exportJson"
            [disabled]="store.exporting()"
            (click)="store.exportTranscript('json')"
          >
            <pr-icon name="download" />JSON
          </button>
        </div>
      </div>
    </section>
  `,
  styles: `
    .panel {
      display: flex;
      flex-direction: column;
      gap: 0.9rem;
      padding: 0.75rem;
    }
    h3 {
      margin: 0;
    }
    .row {
      display: flex;
      gap: 0.4rem;
    }
    .mono {
      font-family: var(--pr-font-mono);
      font-size: 0.8125rem;
    }
    .invites {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 0.3rem;
    }
    /* On a phone, a long name keeps a line's width: the buttons go under it rather than squeeze it. */
    .invites li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4rem;
    }
    .name {
      flex: 1 1 9rem;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .invite-form {
      display: flex;
      flex-direction: column;
      gap: 0.4rem;
      align-items: stretch;
    }
    .invite-form > .pr-btn {
      align-self: flex-start;
    }
    .inline-label {
      flex: none;
      inline-size: 4.5rem;
      align-self: center;
      margin: 0;
    }
    .invite-form .row > .pr-input {
      flex: 1;
      min-width: 0;
    }
    .role {
      margin-inline-start: 0.35rem;
    }
    .revoked .name {
      color: var(--pr-text-muted);
      text-decoration: line-through;
    }
  `,
})
export class SharingPanel {
  protected readonly store = inject(SharingStore);
  protected readonly copier = inject(LinkCopier);
  protected readonly viewerLink = computed(() => viewerLink(this.store.slug()));
  protected readonly nameLimit = LIMITS.displayName;
  protected readonly roles: ReadonlyArray<{ value: InviteRole; label: string }> = [
    { value: 'speaker', label: roleName('speaker') },
    { value: 'captioner', label: roleName('captioner') },
    { value: 'interpreter', label: roleName('interpreter') },
    { value: 'signer', label: roleName('signer') },
  ];
  protected readonly commonLanguages = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'ar', 'uk'];
  protected readonly languageName = languageName;
  protected readonly role = signal<InviteRole>('speaker');
  protected readonly language = signal('');
  protected readonly needsLanguage = computed(() => ROLES_WITH_LANGUAGE.includes(this.role()));

  protected roleLabel(role: InviteRole): string {
    return role === 'signer'
      ? $localize`:@@role.signerShort:Signer`
      : (this.roles.find((option) => option.value === role)?.label ?? role);
  }

  protected copyViewerLink(): void {
    this.copier.copy($localize`:@@events.viewerLink:Viewer link`, this.viewerLink());
  }

  protected inviteLinkOf(name: string): string {
    return $localize`:@@sharing.inviteLinkOf:Invite link for ${participantName(name)}:name:`;
  }

  protected copyLinkLabel(name: string): string {
    return $localize`:@@sharing.copyLinkLabel:Copy link for ${participantName(name)}:name:`;
  }

  protected revokeLabel(name: string): string {
    return $localize`:@@sharing.revokeLabel:Revoke the invite for ${participantName(name)}:name:`;
  }

  protected async invite(event: Event, field: HTMLInputElement): Promise<void> {
    event.preventDefault();
    const name = field.value.trim();
    if (!name) return;
    const invite = await this.store.invite(name, this.role(), this.needsLanguage() ? this.language().trim() : null);
    if (!invite) return;
    field.value = '';
    this.language.set('');
    this.copier.copy(this.inviteLinkOf(invite.name), invite.inviteUrl);
  }

  protected selectAll(event: FocusEvent): void {
    (event.target as HTMLInputElement).select();
  }
}
