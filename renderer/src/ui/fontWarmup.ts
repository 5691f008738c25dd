/**
 * The first time a page lays out text in a font family at a given size and weight, Chromium
 * looks the font up; on Linux each lookup is a synchronous round trip to the browser process
 * (fontconfig), a few milliseconds each. The desk uses a dozen or so such styles, so its first
 * layout spent 30–40 ms on nothing but font lookups, inside the task that rendered the first
 * queue page during a bootstrap. So, like the calendars, the fonts are looked up ahead: every
 * family, size and weight the stylesheet names, in every combination, laid out out of sight a
 * few at a time in idle slices while the login screen is up (the lookups are cached per
 * renderer, so the desk's own layout then finds them).
 */

const SLICE_BUDGET_MS = 8;
/** Letters of both languages, digits, and the symbols the desk shows (some need a fallback font). */
const SPECIMEN = 'Aa Ww 0123456789 åäöÅÄÖ –—…·←→↑↓✓⚠☎★“”';

export interface TextStyle {
  family: string;
  size: string;
  weight: string;
}

function collectRules(rules: CSSRuleList, into: CSSStyleDeclaration[]): void {
  for (const rule of Array.from(rules)) {
    if (rule instanceof CSSStyleRule) into.push(rule.style);
    // @media, @supports, @layer and nested rules hold rules of their own.
    if ('cssRules' in rule) collectRules((rule as CSSGroupingRule).cssRules, into);
  }
}

/** Every combination of the font families, sizes and weights the document's stylesheets name. */
export function textStyles(doc: Document = document): TextStyle[] {
  const declarations: CSSStyleDeclaration[] = [];
  for (const sheet of Array.from(doc.styleSheets)) {
    try {
      collectRules(sheet.cssRules, declarations);
    } catch {
      // A stylesheet of another origin cannot be read (the desk has none).
    }
  }
  const root = getComputedStyle(doc.documentElement);
  const families = new Set<string>();
  const sizes = new Set<string>([root.fontSize]);
  const weights = new Set<string>(['400', '700']);
  for (const style of declarations) {
    const family = style.getPropertyValue('font-family').trim();
    const size = style.getPropertyValue('font-size').trim();
    const weight = style.getPropertyValue('font-weight').trim();
    if (family && family !== 'inherit') families.add(family);
    if (/^\d+(\.\d+)?px$/.test(size)) sizes.add(size);
    if (/^\d{3}$/.test(weight)) weights.add(weight);
  }
  // The page's own family only when no rule names one: `var(--font)` on :root is the same font
  // in another spelling, and would double the work.
  if (families.size === 0) families.add(root.fontFamily);
  const out: TextStyle[] = [];
  for (const family of families) for (const size of sizes) for (const weight of weights) out.push({ family, size, weight });
  return out;
}

type Idle = (callback: (deadline: IdleDeadline) => void) => number;

/**
 * Lays out one line of text per style in a hidden container, a few per idle slice, then removes
 * it. Returns a function that stops early (and removes the container).
 */
export function warmFonts(doc: Document = document, idle: Idle = requestIdleCallback, cancel: (handle: number) => void = cancelIdleCallback): () => void {
  let styles: TextStyle[] | null = null;
  const box = doc.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  // Laid out (so that the fonts are looked up) but never seen, and kept out of the page's layout.
  for (const [name, value] of [
    ['position', 'fixed'],
    ['left', '-10000px'],
    ['top', '0'],
    ['visibility', 'hidden'],
    ['contain', 'strict'],
    ['width', '1000px'],
    ['height', '100px'],
    ['pointer-events', 'none'],
  ] as const) {
    box.style.setProperty(name, value);
  }
  let next = 0;
  let handle = 0;
  const finish = () => {
    cancel(handle);
    box.remove();
  };
  const slice = (deadline: IdleDeadline) => {
    const stop = performance.now() + Math.min(SLICE_BUDGET_MS, deadline.timeRemaining());
    // Read when the first slice runs: by then the stylesheet has surely been applied.
    if (!styles) {
      styles = textStyles(doc);
      doc.body.append(box);
    }
    while (next < styles.length && performance.now() < stop) {
      const { family, size, weight } = styles[next++]!;
      const line = doc.createElement('span');
      line.style.setProperty('font-family', family);
      line.style.setProperty('font-size', size);
      line.style.setProperty('font-weight', weight);
      line.textContent = SPECIMEN;
      box.append(line);
      // Reading the size lays the line out now, in this slice.
      void line.offsetWidth;
    }
    if (next < styles.length) handle = idle(slice);
    else finish();
  };
  handle = idle(slice);
  return finish;
}
