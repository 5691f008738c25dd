/**
 * The open-case count of my teams where a specialist glances: tray tooltip, dock/launcher badge
 * (macOS, Linux Unity), taskbar overlay (Windows); and first-sync progress in the taskbar.
 */
import { Menu, Tray, app, nativeImage, type BrowserWindow, type NativeImage } from 'electron';
import { log } from './log';

type Rgba = readonly [number, number, number, number];

/**
 * A filled disc drawn in code, optionally with three short bars (a list of cases) in `mark`, so
 * the shell needs no image files for its tray and overlay icons.
 */
function disc(size: number, fill: Rgba, mark: Rgba | null = null): NativeImage {
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const onBar = (x: number, y: number): boolean =>
    Math.abs(x - centre) < size * 0.25 && [0.3, 0.5, 0.7].some((row) => Math.abs(y - size * row) < size * 0.05);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (Math.hypot(x - centre, y - centre) > size / 2) continue;
      const [r, g, b, a] = mark !== null && onBar(x, y) ? mark : fill;
      const offset = (y * size + x) * 4;
      // createFromBitmap takes BGRA.
      pixels[offset] = b;
      pixels[offset + 1] = g;
      pixels[offset + 2] = r;
      pixels[offset + 3] = a;
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

const BRAND: Rgba = [0, 84, 166, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const ALERT: Rgba = [208, 32, 32, 255];

type Language = 'sv' | 'fi' | 'en';
const TEXT: Record<Language, { one: string; other: string; none: string; show: string; quit: string }> = {
  sv: { one: '1 öppet ärende', other: '{n} öppna ärenden', none: 'Inga öppna ärenden', show: 'Visa Desk', quit: 'Avsluta' },
  fi: { one: '1 avoin tukipyyntö', other: '{n} avointa tukipyyntöä', none: 'Ei avoimia tukipyyntöjä', show: 'Näytä Desk', quit: 'Lopeta' },
  en: { one: '1 open case', other: '{n} open cases', none: 'No open cases', show: 'Show Desk', quit: 'Quit' },
};

function languageOf(locale: string): Language {
  const language = locale.slice(0, 2).toLowerCase();
  return language === 'sv' || language === 'fi' ? language : 'en';
}

export function badgeTooltip(count: number, locale: string): string {
  const text = TEXT[languageOf(locale)];
  if (count === 0) return `SoftOne Desk: ${text.none}`;
  const n = new Intl.NumberFormat(locale).format(count);
  return `SoftOne Desk: ${count === 1 ? text.one : text.other.replace('{n}', n)}`;
}

export interface Badge {
  setCount(count: number): void;
  /** 0..1 while the first sync runs; null removes the bar. */
  setProgress(fraction: number | null): void;
}

export function createBadge(getWindow: () => BrowserWindow | null, showWindow: () => void): Badge {
  const locale = app.getLocale();
  const text = TEXT[languageOf(locale)];
  let tray: Tray | null = null;
  try {
    tray = new Tray(disc(32, BRAND, WHITE).resize({ width: 16, height: 16, quality: 'best' }));
    tray.setToolTip(badgeTooltip(0, locale));
    tray.setContextMenu(Menu.buildFromTemplate([
      { label: text.show, click: showWindow },
      { type: 'separator' },
      { label: text.quit, click: () => app.quit() },
    ]));
    tray.on('click', showWindow);
  } catch (error) {
    // Some Linux desktops have no tray; the badge and taskbar still work.
    log('warn', 'badge', 'no tray icon on this desktop', { error: String(error) });
  }
  const overlay = process.platform === 'win32' ? disc(16, ALERT) : null;

  return {
    setCount(count) {
      tray?.setToolTip(badgeTooltip(count, locale));
      if (process.platform === 'darwin') tray?.setTitle(count === 0 ? '' : String(count));
      app.setBadgeCount(count);
      if (overlay !== null) getWindow()?.setOverlayIcon(count === 0 ? null : overlay, badgeTooltip(count, locale));
    },
    setProgress(fraction) {
      getWindow()?.setProgressBar(fraction === null ? -1 : Math.min(1, Math.max(0, fraction)));
    },
  };
}
