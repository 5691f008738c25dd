/** Notes and the case's history, newest last; notes not yet on the server show as pending. */
import { useState } from 'react';
import { useT } from '../../i18n/typing';
import type { CaseEvent, StatusId } from '../../../../shared/index';
import { useFormat, useLanguage, useSession } from '../hooks';
import type { OutboxEntry } from '../../model/edits';
import { statusLabel } from '../../i18n/labels';
import { isLive } from '../../model/overlay';
import { callParty, describeMutation, fieldName, fieldValue } from '../describe';
import { useAct } from './act';
import { useTimeline } from './useCaseData';
import { AnswerPicker } from '../answers/AnswerPicker'; // answers (helper C)

export function Timeline({ caseId, onServer, entries }: { caseId: string; onServer: boolean; entries: readonly OutboxEntry[] }) {
  const { t } = useT();
  const lang = useLanguage();
  const fmt = useFormat();
  const session = useSession();
  const { events, source } = useTimeline(caseId, onServer);
  const { act, error } = useAct();
  const [note, setNote] = useState('');
  const [picker, setPicker] = useState<'templates' | 'articles' | null>(null); // answers (helper C)
  const pending = entries.filter(isLive);

  const actor = (id: string | null) => (id === null ? t('case:timeline.system') : (session.store.directory.specialists.get(id)?.name ?? '?'));
  const category = session.store.cases.get(caseId)?.category;
  const text = (e: CaseEvent): string => {
    const d = e.data;
    switch (e.kind) {
      case 'created':
        return typeof d.callId === 'string' ? t('case:timeline.createdFromCall') : t('case:timeline.created');
      case 'status':
        return t('case:timeline.status', { from: statusLabel(String(d.from) as StatusId, lang, category), to: statusLabel(String(d.to) as StatusId, lang, category) });
      case 'assign':
        return d.to === null ? t('case:timeline.unassigned') : t('case:timeline.assigned', { name: actor(String(d.to)) });
      case 'transfer':
        return t('case:timeline.transfer', { from: d.from ?? '?', to: d.to ?? '?' });
      case 'edit':
        // One event per field, with both values kept in the history.
        return t('case:timeline.edit', {
          field: fieldName(t, String(d.field)),
          before: fieldValue(t, lang, String(d.field), d.before, session.store),
          after: fieldValue(t, lang, String(d.field), d.after, session.store),
        });
      case 'minutes':
        return t('case:timeline.minutes', { minutes: fmt.minutes(Number(d.minutes ?? 0)), total: fmt.minutes(Number(d.total ?? 0)) });
      case 'billing':
        return t('case:timeline.billing');
      case 'call': {
        const party = callParty(d, session.me.office, (id) => session.store.directory.contacts.get(id)?.name);
        if (party === null) return t('case:timeline.call');
        if (d.callback === true) return t('case:timeline.callBack', { party });
        return d.direction === 'out' ? t('case:timeline.callOut', { party }) : t('case:timeline.callIn', { party });
      }
      case 'grant':
        return t('case:timeline.grant');
      case 'note':
        return t('case:timeline.note');
      case 'mail':
        return d.direction === 'in' ? t('case:timeline.mailIn') : t('case:timeline.mailOut');
    }
  };

  const submit = async () => {
    const body = note.trim();
    if (!body) return;
    if (await act({ name: 'addNote', args: { caseId, eventId: crypto.randomUUID(), text: body } })) setNote('');
  };

  return (
    <section className="panel timeline" aria-label={t('case:timeline.title')}>
      <div className="panel-head">
        <h2>{t('case:timeline.title')}</h2>
        {source === 'cache-offline' && <span className="chip warn tiny">{t('case:timeline.offline')}</span>}
        {source === 'cache-error' && <span className="chip warn tiny">{t('case:timeline.partial')}</span>}
      </div>
      <ol className="events" data-testid="timeline">
        {events.map((e) => (
          <li key={e.id} className={`event ${e.kind}`}>
            <span className="when muted">{fmt.dateTime(Date.parse(e.at))}</span>
            <span className="who">{actor(e.actorId)}</span>
            <span className="what">{text(e)}</span>
            {e.text && <p className="note-text">{e.text}</p>}
          </li>
        ))}
        {pending.map((p) => (
          <li key={`pending-${p.mutationId}`} className="event pending" data-testid="timeline-pending">
            <span className="when muted">{fmt.dateTime(Date.parse(p.createdAt))}</span>
            <span className="who">{session.me.name}</span>
            <span className="what">
              {describeMutation(t, lang, p.envelope, session.store)} <span className="chip pending tiny">{t('sync:pendingShort')}</span>
            </span>
            {p.envelope.name === 'addNote' && <p className="note-text">{p.envelope.args.text}</p>}
          </li>
        ))}
        {events.length === 0 && pending.length === 0 && <li className="muted">{source === 'loading' ? '…' : t('case:timeline.empty')}</li>}
      </ol>
      <form
        className="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <textarea
          id="note-input"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={2}
          placeholder={t('case:timeline.notePlaceholder')}
          aria-label={t('case:timeline.addNote')}
          data-testid="note-input"
          onKeyDown={(e) => {
            // answers (helper C): Alt+M a reply template, Alt+K the knowledge base.
            if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyM' || e.code === 'KeyK')) {
              e.preventDefault();
              setPicker(e.code === 'KeyM' ? 'templates' : 'articles');
              return;
            }
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <button type="submit" className="secondary" disabled={note.trim() === ''} data-testid="note-submit">
          {t('case:timeline.addNote')}
        </button>
        {/* answers (helper C): the picker inserts at the caret and gives the note box its focus back. */}
        {picker && (
          <AnswerPicker
            kind={picker}
            caseId={caseId}
            onInsert={(text) => {
              const el = document.getElementById('note-input') as HTMLTextAreaElement | null;
              const start = el?.selectionStart ?? note.length;
              const end = el?.selectionEnd ?? note.length;
              setNote(note.slice(0, start) + text + note.slice(end));
              requestAnimationFrame(() => el?.setSelectionRange(start + text.length, start + text.length));
            }}
            onClose={() => {
              setPicker(null);
              // At once, in the key's own handler: the next key goes to the note, never to the desk.
              document.getElementById('note-input')?.focus();
            }}
          />
        )}
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
