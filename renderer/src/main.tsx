import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { warmCalendars } from './model/calendarWarmup';
import { warmFormatters } from './i18n/format';
import { initI18n, initialLanguage } from './i18n/index';
import { TranslationProvider } from './i18n/typing';
import { isElectron } from './platform/index';
import { installOfflineShell } from './offlineShell';
import { warmFonts } from './ui/fontWarmup';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root');
await initI18n(initialLanguage());
if (!isElectron) installOfflineShell();
warmCalendars();
warmFormatters(initialLanguage());
warmFonts();
createRoot(rootElement).render(
  <StrictMode>
    <TranslationProvider>
      <App />
    </TranslationProvider>
  </StrictMode>,
);
