/**
 * A customer's HTML mail, made safe to show inside the desk (DOMPurify, HTML profile only):
 * - no scripts, event handlers, forms, frames, objects, SVG or MathML, no <meta>, <link>, <base>;
 * - no styles at all (the desk's CSP allows no inline style, and a style is how a mail would
 *   cover the page: position, huge sizes, overlays);
 * - links only to http(s), mailto and tel, each opening outside the desk (`target=_blank`,
 *   `rel=noopener noreferrer`);
 * - remote images blocked: each `src` (and any srcset or background) replaced by a placeholder
 *   until the specialist asks for them (`images: true`); images carried in the mail itself
 *   (data:) show, `cid:` parts (attachments) show as the placeholder.
 * The result is HTML to put into an element that contains its own layout (see `.mail-html`).
 */
import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';

export interface SanitizedMail {
  html: string;
  /** Remote images replaced by the placeholder (0 when `images` was asked for, or there were none). */
  blockedImages: number;
}

/** A grey frame with a picture sign: where a blocked image would be. */
export const BLOCKED_IMAGE =
  'data:image/svg+xml;charset=utf-8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="36" viewBox="0 0 48 36"><rect x="1" y="1" width="46" height="34" fill="#eef0f3" stroke="#8a94a3" stroke-dasharray="3 2"/><path d="M10 28l9-10 7 7 5-5 7 8z" fill="#8a94a3"/><circle cx="33" cy="11" r="3" fill="#8a94a3"/></svg>',
  );

const FORBID_TAGS = ['script', 'style', 'form', 'input', 'button', 'select', 'option', 'textarea', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'meta', 'link', 'base', 'svg', 'math', 'template', 'noscript', 'portal', 'dialog'];
const FORBID_ATTR = ['style', 'srcset', 'background', 'ping', 'formaction', 'action', 'poster', 'lowsrc', 'dynsrc', 'id', 'name', 'class', 'tabindex', 'autofocus', 'accesskey', 'contenteditable'];
const SAFE_LINK = /^(?:https?:|mailto:|tel:)/i;
const REMOTE = /^(?:https?:)?\/\//i;

let purifier: Purifier | null = null;
function instance(): Purifier {
  // An instance of our own: its hooks never touch another user of the library.
  purifier ??= DOMPurify(window);
  return purifier;
}

export function sanitizeMailHtml(html: string, opts: { images: boolean } = { images: false }): SanitizedMail {
  const p = instance();
  let blocked = 0;
  p.removeAllHooks();
  p.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.tagName === 'A') {
      const href = el.getAttribute('href')?.trim() ?? '';
      if (href === '' || !SAFE_LINK.test(href)) el.removeAttribute('href');
      else {
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer');
      }
    } else if (el.tagName === 'IMG') {
      const src = el.getAttribute('src')?.trim() ?? '';
      const inline = /^data:image\/(?:png|gif|jpe?g|webp);/i.test(src);
      if (inline) return;
      if (opts.images && REMOTE.test(src)) {
        // Asked for: https only, never sending who looked (no referrer).
        el.setAttribute('src', src.replace(/^(?:https?:)?\/\//i, 'https://'));
        el.setAttribute('referrerpolicy', 'no-referrer');
        return;
      }
      if (REMOTE.test(src)) blocked++;
      el.setAttribute('src', BLOCKED_IMAGE);
      if (!el.getAttribute('alt')) el.setAttribute('alt', '');
    } else if (el.hasAttribute('src')) {
      // <audio>, <video>, <source>, <track>: nothing loads from a mail.
      el.removeAttribute('src');
    }
  });
  const out = p.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    KEEP_CONTENT: true,
    WHOLE_DOCUMENT: false,
    RETURN_TRUSTED_TYPE: false,
  });
  p.removeAllHooks();
  return { html: out, blockedImages: blocked };
}
