import { bootstrapInUiLanguage } from '../shared/i18n/ui-language';
import { App } from './app';
import { appConfig } from './app.config';

bootstrapInUiLanguage(App, appConfig);
