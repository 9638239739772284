import type { Routes } from '@angular/router';
import { ConsoleShell } from './shell/console-shell';
import { signedIn, signedOut } from './session/session.guards';

export const routes: Routes = [
  {
    path: 'sign-in',
    canActivate: [signedOut],
    title: 'Sign in · Pressroom',
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
        title: 'Events · Pressroom',
        loadComponent: () => import('./events/events-list.page').then((m) => m.EventsListPage),
      },
      {
        path: 'events/new',
        title: 'New event · Pressroom',
        loadComponent: () => import('./events/event-editor.page').then((m) => m.EventEditorPage),
      },
      {
        path: 'events/:slug/edit',
        title: 'Edit event · Pressroom',
        loadComponent: () => import('./events/event-editor.page').then((m) => m.EventEditorPage),
      },
      {
        path: 'events/:slug',
        title: 'Control room · Pressroom',
        loadComponent: () => import('./control-room/control-room.page').then((m) => m.ControlRoomPage),
      },
    ],
  },
  { path: '**', redirectTo: 'events' },
];
