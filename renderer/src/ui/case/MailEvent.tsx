/**
 * A mail in the case's thread: from the customer (in) or a reply (out), set apart from internal
 * notes by its heading, its icon and its frame (never by colour alone). A reply shows its state
 * (waiting to be sent, sent, could not be sent and why); a machine-made mail says it is never
 * answered. A mail with an HTML part can be shown formatted, sanitised (model/mailHtml.ts), with
 * remote images held back until asked for; offline, the text stays and the button says why.
 */
import { EventFiles } from './Attachments';
import { useMemo, useState } from 'react';
import { useT } from '../../i18n/typing';
import type { CaseEvent, MailEventData } from '../../../../shared/index';
import { sanitizeMailHtml } from '../../model/mailHtml';
import { useFormat, useSession, useSignal } from '../hooks';
import { errorMessage } from '../errors';

export function MailIcon() {
  return (
    <svg className="mail-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <rect x="1.5" y="3.5" width="13" height="9" rx="1" fill="none" stroke="currentColor" />
      <path d="M2 4l6 5 6-5" fill="none" stroke="currentColor" />
    </svg>
  );
}

export function NoteIcon() {
  return (
    <svg className="mail-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7" rx="1" fill="none" stroke="currentColor" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" />
    </svg>
  );
}

export function MailEvent({ event, mail, actor, files }: { event: CaseEvent; mail: MailEventData; actor: string; files?: Parameters<typeof EventFiles>[0]['files'] }) {
  const { t } = useT();
  const fmt = useFormat();
  const incoming = mail.direction === 'in';
  const kind = incoming ? t('case:mail.in') : mail.auto === true ? t('case:mail.auto') : t('case:mail.out');
  const sender = mail.fromName ? `${mail.fromName} <${mail.from ?? ''}>` : (mail.from ?? '');
  return (
    <li className={`event mail ${incoming ? 'mail-in' : 'mail-out'}`} data-testid="mail-event" data-direction={mail.direction} data-status={mail.status}>
      <div className="mail-head">
        <span className="mail-kind">
          <MailIcon /> {kind}
        </span>
        <span className="when muted">{fmt.dateTime(Date.parse(event.at))}</span>
        {!incoming && event.actorId !== null && <span className="who">{actor}</span>}
        {!incoming && <MailStatusChip mail={mail} />}
        {incoming && mail.autoKind && <span className="chip tiny">{t('case:mail.autoIn')}</span>}
        {mail.attachments ? <span className="chip tiny">{t('case:mail.attachments', { count: mail.attachments })}</span> : null}
      </div>
      <dl className="mail-meta">
        {incoming ? (
          <div>
            <dt>{t('case:mail.from')}</dt>
            <dd data-testid="mail-from">{sender}</dd>
          </div>
        ) : mail.to ? (
          <div>
            <dt>{t('case:mail.to')}</dt>
            <dd data-testid="mail-to">{mail.to}</dd>
          </div>
        ) : null}
        {mail.subject && (
          <div>
            <dt>{t('case:mail.subject')}</dt>
            <dd data-testid="mail-subject">{mail.subject}</dd>
          </div>
        )}
      </dl>
      {mail.status === 'failed' && (
        <p className="error" data-testid="mail-error">
          {t('case:mail.failedReason', { error: mail.error ?? '?' })}
        </p>
      )}
      <MailBody event={event} mail={mail} sender={sender} />
      <EventFiles files={files} />
    </li>
  );
}

export function MailStatusChip({ mail }: { mail: Pick<MailEventData, 'status'> }) {
  const { t } = useT();
  const tone = mail.status === 'failed' ? 'warn' : mail.status === 'sent' ? 'ok' : 'pending';
  return (
    <span className={`chip tiny ${tone}`} data-testid="mail-status">
      {t(`case:mail.status.${mail.status}`)}
    </span>
  );
}

function MailBody({ event, mail, sender }: { event: CaseEvent; mail: MailEventData; sender: string }) {
  const { t } = useT();
  const session = useSession();
  const status = useSignal(session.status);
  const online = status.connection === 'online';
  const [formatted, setFormatted] = useState(false);
  const [raw, setRaw] = useState<string | null>(null);
  const [images, setImages] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const clean = useMemo(() => (raw === null ? null : sanitizeMailHtml(raw, { images })), [raw, images]);

  const toggle = async () => {
    if (formatted) {
      setFormatted(false);
      return;
    }
    if (raw !== null) {
      setFormatted(true);
      return;
    }
    setLoading(true);
    try {
      setRaw(await session.mail.html(event.id));
      setProblem(null);
      setFormatted(true);
    } catch (e) {
      setProblem(`${t('case:mail.formattedError')} (${errorMessage(t, e)})`);
    } finally {
      setLoading(false);
    }
  };

  const showHtml = formatted && clean !== null;
  return (
    <>
      {showHtml ? (
        <div className="mail-html-frame">
          {/* Sanitised (model/mailHtml.ts); the frame contains its layout: nothing in it covers the desk. */}
          <div className="mail-html" role="region" aria-label={t('case:mail.formattedLabel', { from: sender })} data-testid="mail-html" dangerouslySetInnerHTML={{ __html: clean.html }} />
        </div>
      ) : (
        event.text && <p className="note-text mail-text">{event.text}</p>
      )}
      {mail.html === true && (
        <div className="mail-tools">
          <button
            type="button"
            className="ghost small"
            onClick={() => void toggle()}
            disabled={loading || (!online && raw === null)}
            aria-pressed={formatted}
            aria-describedby={!online && raw === null ? `mail-offline-${event.id}` : undefined}
            data-testid="mail-formatted-toggle"
          >
            {formatted ? t('case:mail.showPlain') : t('case:mail.showFormatted')}
          </button>
          {!online && raw === null && (
            <span className="muted small" id={`mail-offline-${event.id}`} data-testid="mail-formatted-offline">
              {t('case:mail.formattedOffline')}
            </span>
          )}
          {showHtml && clean.blockedImages > 0 && !images && (
            <>
              <span className="muted small">{t('case:mail.imagesBlocked', { count: clean.blockedImages })}</span>
              <button type="button" className="ghost small" onClick={() => setImages(true)} data-testid="mail-show-images">
                {t('case:mail.showImages')}
              </button>
            </>
          )}
          {problem && (
            <span className="error small" role="alert">
              {problem}
            </span>
          )}
        </div>
      )}
    </>
  );
}
