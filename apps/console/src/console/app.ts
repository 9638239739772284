import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { PrivacyFooter } from '../shared/privacy-footer';
import { NoticeList } from './notices/notice-list';
import { NoticesStore } from './notices/notices.store';

/** The console: the routed page, and the notices every page may raise. */
@Component({
  selector: 'pr-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, NoticeList, PrivacyFooter],
  template: `
    <router-outlet />
    <pr-privacy-footer />
    <pr-notice-list [notices]="notices.notices()" (dismissed)="notices.dismiss($event)" />
  `,
})
export class App {
  protected readonly notices = inject(NoticesStore);
}
