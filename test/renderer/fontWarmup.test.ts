// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { textStyles, warmFonts } from '../../renderer/src/ui/fontWarmup';

function sheet(css: string): HTMLStyleElement {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  return style;
}

describe('font warm-up', () => {
  afterEach(() => {
    document.head.innerHTML = '';
    document.body.innerHTML = '';
  });

  it('takes every family, size and weight the stylesheets name, in every combination', () => {
    sheet(`
      :root { font-family: var(--font); font-size: 13px; }
      .num { font-family: var(--mono); font-size: 11px; }
      h1 { font-size: 17px; font-weight: 600; }
      button { font: inherit; }
      @media (min-width: 10px) { .big { font-size: 20px; font-weight: 500; } }
    `);
    const styles = textStyles();
    const families = new Set(styles.map((s) => s.family));
    const sizes = new Set(styles.map((s) => s.size));
    const weights = new Set(styles.map((s) => s.weight));
    expect(families.has('var(--font)')).toBe(true);
    expect(families.has('var(--mono)')).toBe(true);
    expect(families.has('inherit')).toBe(false);
    // The page's computed family is the same font as var(--font): not laid out twice.
    expect(families.size).toBe(2);
    const rootSize = getComputedStyle(document.documentElement).fontSize;
    expect([...sizes].filter((s) => s !== rootSize).sort()).toEqual(['11px', '13px', '17px', '20px'].filter((s) => s !== rootSize));
    expect([...weights].sort()).toEqual(['400', '500', '600', '700']);
    expect(styles.length).toBe(families.size * sizes.size * weights.size);
    expect(styles).toContainEqual({ family: 'var(--mono)', size: '20px', weight: '600' });
  });

  it('lays the styles out in idle slices, then removes its container', () => {
    sheet(`.a { font-size: 11px; font-weight: 600; } .b { font-family: var(--mono); font-size: 15px; }`);
    const expected = textStyles().length;
    const slices: Array<(d: IdleDeadline) => void> = [];
    warmFonts(document, (cb) => slices.push(cb), () => undefined);
    expect(document.body.children).toHaveLength(0); // nothing before the first idle slice
    // Each slice has 1 ms and every look at the clock takes 0.4: a few lines per slice.
    let laidOut = 0;
    let rounds = 0;
    let clock = 0;
    const realNow = performance.now.bind(performance);
    performance.now = () => (clock += 0.4);
    try {
      while (slices.length > 0) {
        slices.shift()!({ didTimeout: false, timeRemaining: () => 1 });
        rounds++;
        const box = document.body.querySelector('div[aria-hidden=true]');
        if (box) laidOut = box.children.length;
      }
    } finally {
      performance.now = realNow;
    }
    expect(rounds).toBeGreaterThan(1);
    expect(laidOut).toBeGreaterThan(0);
    expect(document.body.children).toHaveLength(0);
    expect(expected).toBeGreaterThan(4);
  });

  it('stops when asked, and leaves nothing behind', () => {
    sheet(`.a { font-size: 11px; }`);
    const slices: Array<(d: IdleDeadline) => void> = [];
    const cancelled: number[] = [];
    const stop = warmFonts(document, (cb) => slices.push(cb), (h) => cancelled.push(h));
    slices.shift()!({ didTimeout: false, timeRemaining: () => 0 });
    stop();
    expect(document.body.children).toHaveLength(0);
    expect(cancelled.length).toBeGreaterThan(0);
  });
});
