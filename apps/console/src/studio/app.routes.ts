import type { Routes } from '@angular/router';
import { StudioPage } from './session/studio.page';

/** `/studio/:slug?invite=…`; any other address gets the same page, which explains the link is incomplete. */
export const routes: Routes = [
  { path: ':slug', component: StudioPage },
  { path: '**', component: StudioPage },
];
