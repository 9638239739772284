import { inject, type Provider } from '@angular/core';
import { Router } from '@angular/router';
import { ApiClient } from '@pressroom/live-client';
import { NoticesStore } from '../notices/notices.store';
import { ModeratorSession } from './moderator-session';

/** The REST client with the moderator's token; a refused token ends the session and asks to sign in again. */
export function provideApiClient(): Provider {
  return {
    provide: ApiClient,
    useFactory: () => {
      const session = inject(ModeratorSession);
      const router = inject(Router);
      const notices = inject(NoticesStore);
      return new ApiClient({
        token: () => session.token(),
        onUnauthorized: () => {
          session.end();
          notices.error($localize`:@@session.ended:Your session has ended. Sign in again to go on.`);
          void router.navigate(['/sign-in'], { queryParams: { next: router.url } });
        },
      });
    },
  };
}
