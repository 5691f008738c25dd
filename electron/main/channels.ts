/**
 * IPC channel names shared by the main process and the preload. Pure constants with no imports:
 * the sandboxed preload bundles this file and may not load anything else.
 */
export const INVOKE = {
  info: 'desk:info',
  loadToken: 'desk:token:load',
  saveToken: 'desk:token:save',
  notify: 'desk:notify',
  setBadge: 'desk:badge',
  setProgress: 'desk:progress',
  openExternal: 'desk:open-external',
} as const;

/** Main → renderer messages. */
export const EVENTS = {
  link: 'desk:link',
  focusLookup: 'desk:focus-lookup',
} as const;
