/**
 * The case's thread and history, newest last: mail from and to the customer (MailEvent), internal
 * notes, and what happened to the case; edits not yet on the server show as pending (a reply as a
 * mail waiting to be sent). Below it the composer: a reply to the customer or an internal note.
 */
import { useT } from '../../i18n/typing';
import { mailData, minutesOfPoint, queuedReply, type CaseEvent, type StatusId } from '../../../../shared/index';
import { useFormat, useLanguage, useSession } from '../hooks';
import type { OutboxEntry } from '../../model/edits';
import { statusLabel } from '../../i18n/labels';
import { isLive } from '../../model/overlay';
import { callParty, describeMutation, fieldName, fieldValue } from '../describe';
import { useTimeline } from './useCaseData';
import { Composer } from './Composer';
import { MailEvent, MailIcon, MailStatusChip, NoteIcon } from './MailEvent';
import { EventFiles, useTimelineFiles } from './Attachments';

export function Timeline({ caseId, onServer, entries }: { caseId: string; onServer: boolean; entries: readonly OutboxEntry[] }) {
  const { t } = useT();
  const lang = useLanguage();
  const fmt = useFormat();
  const session = useSession();
  const { events, source } = useTimeline(caseId, onServer);
  const pending = entries.filter(isLive);
  // The files on notes and mails (and a case registered in the customer centre), and on my notes and replies still on their way.
  const files = useTimelineFiles(caseId, [
    ...events.filter((e) => e.kind === 'note' || e.kind === 'mail' || e.kind === 'created').map((e) => e.id),
    ...pending.flatMap((p) => (p.envelope.name === 'addNote' || p.envelope.name === 'sendReply' ? [p.envelope.args.eventId] : [])),
  ]);

  const actor = (id: string | null) => (id === null ? t('case:timeline.system') : (session.store.directory.specialists.get(id)?.name ?? '?'));
  const row = session.store.cases.get(caseId);
  const category = row?.category;
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
      case 'escalation': {
        // Who the server notified, at which point of which deadline.
        const names = String(d.notified ?? '')
          .split(',')
          .filter((id) => id !== '')
          .map((id) => actor(id));
        const deadline = t(d.deadline === 'resolution' ? 'escalation:deadline.resolution' : 'escalation:deadline.handling');
        const at = fmt.dateTime(Date.parse(String(d.deadlineAt)));
        const before = minutesOfPoint(String(d.point));
        const who = names.length > 0 ? names.join(', ') : t('escalation:timeline.nobody');
        return before === null
          ? t('escalation:timeline.breach', { deadline, at, names: who })
          : t('escalation:timeline.before', { deadline, at, names: who, time: fmt.minutes(before) });
      }
    }
  };

  return (
    <section className="panel timeline" aria-label={t('case:timeline.title')}>
      <div className="panel-head">
        <h2>{t('case:timeline.title')}</h2>
        {source === 'cache-offline' && <span className="chip warn tiny">{t('case:timeline.offline')}</span>}
        {source === 'cache-error' && <span className="chip warn tiny">{t('case:timeline.partial')}</span>}
      </div>
      <ol className="events" data-testid="timeline">
        {events.map((e) => {
          const mail = e.kind === 'mail' ? mailData(e.data) : null;
          if (mail) return <MailEvent key={e.id} event={e} mail={mail} actor={actor(e.actorId)} files={files.get(e.id)} />;
          if (e.kind === 'note')
            return (
              <li key={e.id} className="event note" data-testid="note-event">
                <span className="when muted">{fmt.dateTime(Date.parse(e.at))}</span>
                <span className="who">{actor(e.actorId)}</span>
                <span className="what note-kind">
                  <NoteIcon /> {t('case:mail.noteLabel')}
                  {typeof e.data.attachments === 'number' && e.data.attachments > 0 && <span className="chip tiny">{t('case:mail.attachments', { count: e.data.attachments })}</span>}
                </span>
                {e.text && <p className="note-text">{e.text}</p>}
                <EventFiles files={files.get(e.id)} />
              </li>
            );
          return (
            <li key={e.id} className={`event ${e.kind}`}>
              <span className="when muted">{fmt.dateTime(Date.parse(e.at))}</span>
              <span className="who">{actor(e.actorId)}</span>
              <span className="what">{text(e)}</span>
              {e.text && <p className="note-text">{e.text}</p>}
              {e.kind === 'created' && <EventFiles files={files.get(e.id)} />}
            </li>
          );
        })}
        {pending.map((p) =>
          p.envelope.name === 'sendReply' ? (
            // A reply on this computer only: shown as the mail it will be, waiting to be sent.
            <li key={`pending-${p.mutationId}`} className="event mail mail-out pending" data-testid="timeline-pending" data-status="pending">
              <div className="mail-head">
                <span className="mail-kind">
                  <MailIcon /> {t('case:mail.out')}
                </span>
                <span className="when muted">{fmt.dateTime(Date.parse(p.createdAt))}</span>
                <span className="who">{session.me.name}</span>
                <MailStatusChip mail={queuedReply(p.envelope.args.quote ?? false)} />
              </div>
              <p className="muted small mail-pending">{t('case:mail.pending')}</p>
              <p className="note-text mail-text">{p.envelope.args.text}</p>
              <EventFiles files={files.get(p.envelope.args.eventId)} />
            </li>
          ) : (
            <li key={`pending-${p.mutationId}`} className={`event pending${p.envelope.name === 'addNote' ? ' note' : ''}`} data-testid="timeline-pending">
              <span className="when muted">{fmt.dateTime(Date.parse(p.createdAt))}</span>
              <span className="who">{session.me.name}</span>
              <span className="what">
                {p.envelope.name === 'addNote' && (
                  <>
                    <NoteIcon />{' '}
                  </>
                )}
                {describeMutation(t, lang, p.envelope, session.store)} <span className="chip pending tiny">{t('sync:pendingShort')}</span>
              </span>
              {p.envelope.name === 'addNote' && <p className="note-text">{p.envelope.args.text}</p>}
              {p.envelope.name === 'addNote' && <EventFiles files={files.get(p.envelope.args.eventId)} />}
            </li>
          ),
        )}
        {events.length === 0 && pending.length === 0 && <li className="muted">{source === 'loading' ? '…' : t('case:timeline.empty')}</li>}
      </ol>
      <Composer caseId={caseId} contactId={row?.contactId ?? null} hasIncomingMail={events.some((e) => e.kind === 'mail' && e.data.direction === 'in')} />
    </section>
  );
}
