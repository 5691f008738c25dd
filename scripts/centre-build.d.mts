export const CENTRE_SOURCES: string[];
export const CENTRE_DIST: string;
export function centreBuildNeeded(root: string): 'missing' | 'stale' | null;
export function ensureCentreBuilt(root: string, options?: { build?: (root: string) => void; log?: (line: string) => void }): 'built' | 'fresh';
