/** The customer centre's entry: its own bundle, never the specialists' desk. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n, initialLanguage } from './i18n';
import './centre.css';

await initI18n(initialLanguage());
const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
