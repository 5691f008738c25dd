import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { warmCalendars } from './domain/calendarWarmup';
import { initI18n, initialLanguage } from './i18n/index';
import { isElectron } from './platform/index';
import { installOfflineShell } from './platform/offlineShell';
import './styles.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root');
await initI18n(initialLanguage());
if (!isElectron) installOfflineShell();
warmCalendars();
createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
