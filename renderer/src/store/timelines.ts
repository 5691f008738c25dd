/**
 * What the store knows of each case's timeline (the events stay in IndexedDB): a version that
 * moves when events arrive, so an open timeline reads them again, and the cache slices that
 * hold them (see cache/chunks.ts).
 */
import type { Delta } from '../model/rows';
import type { Changes } from './changes';

export class Timelines {
  private readonly versions = new Map<string, number>();
  private readonly slices = new Map<string, number[]>();

  constructor(private readonly changes: Changes) {}

  versionOf(caseId: string): number {
    return this.versions.get(caseId) ?? 0;
  }

  /** The cache slices with events of this case's timeline. */
  slicesOf(caseId: string): readonly number[] {
    return this.slices.get(caseId) ?? [];
  }

  /** The case's events were stored apart from the slices (a timeline fetched from the server). */
  touch(caseId: string): void {
    this.versions.set(caseId, this.versionOf(caseId) + 1);
    this.changes.changed(true);
  }

  apply(delta: Delta): void {
    for (const id of delta.eventCaseIds) {
      this.versions.set(id, this.versionOf(id) + 1);
      if (delta.eventSlice !== null) {
        const slices = this.slices.get(id);
        if (!slices) this.slices.set(id, [delta.eventSlice]);
        else if (!slices.includes(delta.eventSlice)) slices.push(delta.eventSlice);
      }
    }
  }

  clear(): void {
    this.versions.clear();
    this.slices.clear();
  }
}
