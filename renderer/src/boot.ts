/**
 * The page's first script, kept small: it starts reading the cache of the desk a stored session
 * reopens (a cold start's longest wait), then loads the app. The app is a megabyte of script;
 * the first start after an install or update compiles it, which takes a few hundred
 * milliseconds on a background thread — while this read and its decoding go on here.
 */
import { preloadLastDesk } from './session/cachePreload';
import './styles.css';

preloadLastDesk();
await import('./main');
