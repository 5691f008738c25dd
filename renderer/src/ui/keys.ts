/** Keyboard-first: one tiny helper for window-level shortcuts that stay out of text fields. */
import { useEffect, useRef } from 'react';

export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

export function plain(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey;
}

/**
 * Listens on window while mounted. The handler returns true when it used the key (the default
 * action is then prevented). The latest handler is always called, without re-subscribing.
 */
export function useKeys(handler: (e: KeyboardEvent) => boolean | void, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const listener = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (ref.current(e) === true) e.preventDefault();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, [enabled]);
}
