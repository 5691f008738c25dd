// `npm install`'s hook: a browser for the end-to-end tests where the machine has none. It never
// fails the install.
import { ensureChromium } from './chromium.mjs';

ensureChromium();
