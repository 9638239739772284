import { LOCALE_ID } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { startInUiLanguage } from '../shared/i18n/ui-language';
import { App } from './app';
import { appConfig } from './app.config';

// The language's messages are loaded before the bootstrap: Angular translates templates as it compiles them.
startInUiLanguage()
  .then((language) =>
    bootstrapApplication(App, {
      ...appConfig,
      providers: [...appConfig.providers, { provide: LOCALE_ID, useValue: language }],
    }),
  )
  .catch((error: unknown) => console.error(error));
