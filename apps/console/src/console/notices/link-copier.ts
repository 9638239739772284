import { Clipboard } from '@angular/cdk/clipboard';
import { inject, Injectable } from '@angular/core';
import { NoticesStore } from './notices.store';

/** Copies a link to the clipboard and says so; when the browser refuses, shows the link to copy by hand. */
@Injectable({ providedIn: 'root' })
export class LinkCopier {
  readonly #clipboard = inject(Clipboard);
  readonly #notices = inject(NoticesStore);

  /** `what` names the link: "Viewer link", "Invite link for Minister Ruiz". */
  copy(what: string, link: string): void {
    if (this.#clipboard.copy(link)) this.#notices.info($localize`:@@notice.copied:${what}:what: copied`);
    else this.#notices.error($localize`:@@notice.copyFailed:Copying did not work. ${what}:what:: ${link}:link:`);
  }
}
