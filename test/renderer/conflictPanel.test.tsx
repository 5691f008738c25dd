// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Specialist } from '../../shared/index';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { DeskStore } from '../../renderer/src/store/store';
import { initI18n } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { ConflictPanel } from '../../renderer/src/ui/case/ConflictPanel';
import type { OutboxEntry } from '../../renderer/src/model/edits';

const colleague = { id: 'sp-2', name: 'Maria Lind', email: 'maria@desk.local', role: 'specialist', office: 'SE', teams: [1] } as unknown as Specialist;

/** The server's case: an order someone else moved back to Mottaget. */
const theirs = {
  id: 'case-1',
  number: 123456,
  category: 'order',
  status: 'received',
  billingInformed: false,
  serviceLevel: null,
  title: 'Ny rapport',
  version: 5,
} as unknown as Case;

function conflict(to: Case['status'], fields = ['status']): OutboxEntry {
  return {
    mutationId: 7,
    caseId: theirs.id,
    envelope: { clientId: 'c', mutationId: 7, baseVersion: 4, occurredAt: '2026-12-07T10:00:00.000Z', name: 'transition', args: { caseId: theirs.id, to } },
    state: 'conflict',
    createdAt: '2026-12-07T10:00:00.000Z',
    conflict: { fields, theirs, editorId: colleague.id },
  } as OutboxEntry;
}

beforeAll(async () => {
  await initI18n('sv');
});
afterEach(cleanup);

function show(entry: OutboxEntry) {
  const store = new DeskStore({ id: 'me', role: 'specialist' });
  store.directory.apply({ customers: [], contacts: [], specialists: [colleague], grants: [] } as unknown as Parameters<typeof store.directory.apply>[0]);
  const session = { store, me: { id: 'me', role: 'specialist', office: 'SE' }, outbox: { keepMine: () => undefined, discard: () => undefined } } as unknown as DeskSession;
  render(createElement(TranslationProvider, null, createElement(SessionContext.Provider, { value: session }, createElement(ConflictPanel, { entries: [entry] }))));
}

describe('the conflict panel', () => {
  it('does not offer "keep mine" for a status the flow does not allow from where the case now is, and says why', () => {
    // I moved Kostnadsförslag → Planerat; meanwhile the case went back to Mottaget: two steps away.
    show(conflict('planned'));
    expect(screen.queryByTestId('keep-mine')).toBeNull();
    expect(screen.getByTestId('take-theirs')).toBeTruthy();
    expect(screen.getByTestId('conflict-not-allowed').textContent).toContain('Från Mottaget kan ärendet inte flyttas till Planerat');
  });

  it('offers "keep mine" where the flow allows it, and names the other editor', () => {
    show(conflict('cost_proposal'));
    expect(screen.getByTestId('keep-mine')).toBeTruthy();
    expect(screen.queryByTestId('conflict-not-allowed')).toBeNull();
    expect(screen.getByTestId('conflict-editor').textContent).toBe('Maria Lind hann före.');
  });
});
