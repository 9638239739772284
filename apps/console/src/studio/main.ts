import { bootstrapInUiLanguage } from '../shared/i18n/ui-language';
import { App } from './app';
import { appConfig } from './app.config';
import { EarlyStudioEvent } from './event-language';

// The studio opens in the event's language when the speaker has not picked one (README "Languages"); the
// event read for it is the studio's own read of the event too (one request).
const early = new EarlyStudioEvent(location.pathname, location.origin);
bootstrapInUiLanguage(
  App,
  { ...appConfig, providers: [...appConfig.providers, { provide: EarlyStudioEvent, useValue: early }] },
  () => early.language(),
);
