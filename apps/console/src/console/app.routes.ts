import type { Routes } from '@angular/router';
import { ConsoleShell } from './shell/console-shell';
import { signedIn, signedOut } from './session/session.guards';

export const routes: Routes = [
  {
    path: 'sign-in',
    canActivate: [signedOut],
    title: () => $localize`:@@title.signIn:Sign in · Pressroom`,
    loadComponent: () => import('./sign-in/sign-in.page').then((m) => m.SignInPage),
  },
  {
    path: '',
    component: ConsoleShell,
    canActivate: [signedIn],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'events' },
      {
        path: 'events',
        title: () => $localize`:@@title.events:Events · Pressroom`,
        loadComponent: () => import('./events/events-list.page').then((m) => m.EventsListPage),
      },
      {
        path: 'events/new',
        title: () => $localize`:@@title.newEvent:New event · Pressroom`,
        loadComponent: () => import('./events/event-editor.page').then((m) => m.EventEditorPage),
      },
      {
        path: 'events/:slug/edit',
        title: () => $localize`:@@title.editEvent:Edit event · Pressroom`,
        loadComponent: () => import('./events/event-editor.page').then((m) => m.EventEditorPage),
      },
      {
        path: 'events/:slug',
        title: () => $localize`:@@title.controlRoom:Control room · Pressroom`,
        loadComponent: () => import('./control-room/control-room.page').then((m) => m.ControlRoomPage),
      },
    ],
  },
  { path: '**', redirectTo: 'events' },
];
