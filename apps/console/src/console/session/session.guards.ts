import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { ModeratorSession } from './moderator-session';

/** Pages for signed-in moderators: others go to the sign-in page, and come back after it. */
export const signedIn: CanActivateFn = (_route, state) => {
  const session = inject(ModeratorSession);
  if (session.isValid()) return true;
  session.end();
  return inject(Router).createUrlTree(['/sign-in'], { queryParams: { next: state.url } });
};

/** The sign-in page, for those not signed in yet. */
export const signedOut: CanActivateFn = () =>
  inject(ModeratorSession).isValid() ? inject(Router).createUrlTree(['/events']) : true;
