import { bootstrapInUiLanguage } from '../shared/i18n/ui-language';
import { App } from './app';
import { appConfig } from './app.config';
import { studioEventLanguage } from './event-language';

// The studio opens in the event's language when the speaker has not picked one (README "Languages").
bootstrapInUiLanguage(App, appConfig, () => studioEventLanguage());
