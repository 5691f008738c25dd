/**
 * One JSON line per event, like the server's log, so a support engineer can read both the same
 * way. Values go through JSON.stringify, so a hostile deep link cannot forge extra log lines.
 */
type Level = 'info' | 'warn' | 'error';

export function log(level: Level, scope: string, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, scope, message, ...fields });
  if (level === 'info') console.log(line);
  else if (level === 'warn') console.warn(line);
  else console.error(line);
}

/** Untrusted text as it may appear in a log line: bounded, so a 1 MB URL cannot flood the log. */
export function excerpt(untrusted: string, max = 200): string {
  return untrusted.length > max ? `${untrusted.slice(0, max)}…(${untrusted.length} chars)` : untrusted;
}
