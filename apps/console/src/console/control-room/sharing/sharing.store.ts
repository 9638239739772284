import { inject, Injectable, signal } from '@angular/core';
import { errorText } from '../../../shared/i18n/error-text';
import { uiLanguage } from '../../../shared/i18n/ui-language';
import type { CreateSpeakerRequest, InviteRole, SpeakerInviteView } from '@pressroom/protocol';
import { ApiClient } from '@pressroom/live-client';
import { saveFile } from '../../../shared/save-file';
import { NoticesStore } from '../../notices/notices.store';

export type TranscriptFormat = 'json' | 'markdown';

/** What leaves the control room: speaker invites (signed, revocable links) and the transcript. */
@Injectable()
export class SharingStore {
  readonly #api = inject(ApiClient);
  readonly #notices = inject(NoticesStore);
  readonly #slug = signal('');
  readonly #invites = signal<readonly SpeakerInviteView[]>([]);
  readonly #inviting = signal(false);
  readonly #exporting = signal<TranscriptFormat | null>(null);

  readonly slug = this.#slug.asReadonly();
  /** Oldest first, revoked ones included. */
  readonly invites = this.#invites.asReadonly();
  readonly inviting = this.#inviting.asReadonly();
  readonly exporting = this.#exporting.asReadonly();

  async open(slug: string): Promise<void> {
    this.#slug.set(slug);
    try {
      this.#invites.set(await this.#api.get<SpeakerInviteView[]>(this.#path('/speakers')));
    } catch {
      // The connection reports why the event cannot be opened.
    }
  }

  /** Resolves with the new invite, or null when the server refused (and said why). */
  async invite(
    name: string,
    role: InviteRole = 'speaker',
    language: string | null = null,
  ): Promise<SpeakerInviteView | null> {
    this.#inviting.set(true);
    try {
      const request: CreateSpeakerRequest = {
        name: name.trim(),
        ...(role === 'speaker' ? {} : { role }),
        ...(language ? { language } : {}),
      };
      const invite = await this.#api.post<SpeakerInviteView>(this.#path('/speakers'), request);
      this.#invites.update((invites) => [...invites, invite]);
      return invite;
    } catch (error) {
      this.#notices.error($localize`:@@sharing.inviteFailed:Could not create the invite: ${errorText(error)}:reason:`);
      return null;
    } finally {
      this.#inviting.set(false);
    }
  }

  /** The link stops working and the speaker leaves the studio. */
  async revoke(inviteId: string): Promise<void> {
    try {
      const revoked = await this.#api.delete<SpeakerInviteView>(
        this.#path(`/speakers/${encodeURIComponent(inviteId)}`),
      );
      this.#invites.update((invites) => invites.map((invite) => (invite.id === revoked.id ? revoked : invite)));
    } catch (error) {
      this.#notices.error($localize`:@@sharing.revokeFailed:Could not revoke the invite: ${errorText(error)}:reason:`);
    }
  }

  /** Saves the whole conversation as a file; possible until the event's data is purged. */
  async exportTranscript(format: TranscriptFormat): Promise<void> {
    this.#exporting.set(format);
    try {
      // The Markdown file is for people: in the console's language.
      const query = format === 'markdown' ? `?format=markdown&language=${uiLanguage()}` : '';
      const { blob, fileName } = await this.#api.download(this.#path(`/transcript${query}`));
      saveFile(blob, fileName ?? `${this.#slug()}-transcript.${format === 'markdown' ? 'md' : 'json'}`);
    } catch (error) {
      this.#notices.error(
        $localize`:@@sharing.exportFailed:Could not export the transcript: ${errorText(error)}:reason:`,
      );
    } finally {
      this.#exporting.set(null);
    }
  }

  #path(rest: string): string {
    return `/api/events/${encodeURIComponent(this.#slug())}${rest}`;
  }
}
