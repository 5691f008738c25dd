/**
 * A browser's User-Agent in words a person recognises ("Chrome", "Linux"): the desk's and the
 * customer centre's session lists name each device by it. Null parts when the agent says nothing
 * recognisable (the list then shows the raw start or "unknown device").
 */
export interface AgentWords {
  /** "Desk" for the Electron app, else the browser's name. */
  browser: string | null;
  platform: string | null;
}

export function describeAgent(agent: string | null): AgentWords | null {
  if (!agent) return null;
  const browser = /Electron\//.test(agent)
    ? 'Desk'
    : /Edg\//.test(agent)
      ? 'Edge'
      : /Firefox\//.test(agent)
        ? 'Firefox'
        : /Chrome\//.test(agent)
          ? 'Chrome'
          : /Safari\//.test(agent)
            ? 'Safari'
            : null;
  return { browser, platform: platformOf(agent) };
}

function platformOf(agent: string): string | null {
  if (/Windows/.test(agent)) return 'Windows';
  // iPhone and iPad before macOS: their agents say "like Mac OS X".
  if (/iPhone|iPad/.test(agent)) return 'iOS';
  if (/Mac OS X|Macintosh/.test(agent)) return 'macOS';
  if (/Android/.test(agent)) return 'Android';
  if (/Linux/.test(agent)) return 'Linux';
  return null;
}
