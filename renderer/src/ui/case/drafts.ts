/**
 * The composer's draft of each case: the note and the reply being written, which of the two is
 * shown, and whether the reply quotes. Kept in this tab's sessionStorage per case, so it survives
 * opening another case and a reload, and goes with the tab; keyed by the specialist too, so
 * whoever signs in next in the same tab never sees it.
 */
export type ComposerMode = 'note' | 'reply';

export interface Draft {
  mode: ComposerMode;
  note: string;
  reply: string;
  quote: boolean;
}

export const EMPTY_DRAFT: Draft = { mode: 'note', note: '', reply: '', quote: false };

const key = (owner: string, caseId: string): string => `desk.draft.${owner}.${caseId}`;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function readDraft(owner: string, caseId: string): Draft {
  try {
    const raw = storage()?.getItem(key(owner, caseId));
    if (!raw) return EMPTY_DRAFT;
    const d = JSON.parse(raw) as Partial<Draft>;
    return {
      mode: d.mode === 'reply' ? 'reply' : 'note',
      note: typeof d.note === 'string' ? d.note : '',
      reply: typeof d.reply === 'string' ? d.reply : '',
      quote: d.quote === true,
    };
  } catch {
    return EMPTY_DRAFT;
  }
}

export function writeDraft(owner: string, caseId: string, draft: Draft): void {
  try {
    const s = storage();
    if (!s) return;
    if (draft.note === '' && draft.reply === '' && draft.mode === 'note' && !draft.quote) s.removeItem(key(owner, caseId));
    else s.setItem(key(owner, caseId), JSON.stringify(draft));
  } catch {
    // A full or disabled storage: the draft lives as long as the case is open.
  }
}
