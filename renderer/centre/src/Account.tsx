/**
 * The SuperUser's own account (`#/account`): name, e-mail and company; changing the password
 * while signed in (the current one, the new one twice; the desk's rules); and the account's own
 * sessions, each with the browser in words, "this device" marked, and a button to end it, plus
 * "sign out everywhere else".
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH, ROUTES } from '../../../shared/api';
import type { CentreMe } from '../../../shared/centre';
import {
  CentreChangePasswordResponseSchema,
  CentreSessionsEndedSchema,
  CentreSessionsResponseSchema,
  type CentreSessionInfo,
} from '../../../shared/centreAccount';
import { describeAgent } from '../../../shared/userAgent';
import { ApiFailure, call } from './api';
import { useDate, useErrorText } from './util';
import './account.css';

/** The header menu's link to the account page. */
export function AccountLink(): ReactElement {
  const { t } = useTranslation('account');
  return <a href="#/account">{t('nav')}</a>;
}

type Field = 'currentPassword' | 'newPassword' | 'repeat';

function ChangePassword({ me, onChanged }: { me: CentreMe; onChanged(): void }): ReactElement {
  const { t } = useTranslation('account');
  const { t: tc } = useTranslation();
  const errorText = useErrorText();
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', repeat: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setDone(false);
    setFormError(null);
    const found: Partial<Record<Field, string>> = {};
    if (values.currentPassword === '') found.currentPassword = t('errors.required');
    if (values.newPassword.length < PASSWORD_MIN_LENGTH) found.newPassword = tc('errors.too_short', { min: PASSWORD_MIN_LENGTH });
    else if (values.newPassword !== values.repeat) found.repeat = t('errors.mismatch');
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`account-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await call('POST', ROUTES.centreChangePassword, CentreChangePasswordResponseSchema, { currentPassword: values.currentPassword, newPassword: values.newPassword });
      setValues({ currentPassword: '', newPassword: '', repeat: '' });
      setDone(true);
      onChanged();
    } catch (failure) {
      const field = failure instanceof ApiFailure ? failure.field : undefined;
      const text = failure instanceof ApiFailure && failure.code === 'wrong_password' ? t('errors.wrong_password') : errorText(failure);
      if (field === 'currentPassword' || field === 'newPassword') {
        setErrors({ [field]: text });
        document.getElementById(`account-${field}`)?.focus();
      } else setFormError(text);
    } finally {
      setBusy(false);
    }
  };

  const input = (field: Field, label: string, autoComplete: string): ReactElement => (
    <>
      <label htmlFor={`account-${field}`}>{label}</label>
      <input
        id={`account-${field}`}
        type="password"
        autoComplete={autoComplete}
        required
        value={values[field]}
        aria-invalid={errors[field] !== undefined}
        aria-describedby={[field === 'newPassword' ? 'account-password-rule' : '', errors[field] ? `account-${field}-error` : ''].filter(Boolean).join(' ') || undefined}
        onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
      />
      {errors[field] && (
        <p id={`account-${field}-error`} className="error">
          {errors[field]}
        </p>
      )}
    </>
  );

  return (
    <section className="card account-part" aria-labelledby="account-password">
      <h2 id="account-password">{t('password.heading')}</h2>
      <p id="account-password-rule" className="hint">{t('password.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {input('currentPassword', t('password.current'), 'current-password')}
        {input('newPassword', t('password.new'), 'new-password')}
        {input('repeat', t('password.repeat'), 'new-password')}
        {formError && <p role="alert" className="error">{formError}</p>}
        {Object.keys(errors).length > 0 && <p role="alert" className="visually-hidden">{t('errors.fixErrors')}</p>}
        <p role="status" className="done-text">{done ? t('password.done', { email: me.contact.email }) : ''}</p>
        <button type="submit" className="primary" disabled={busy}>{t('password.submit')}</button>
      </form>
    </section>
  );
}

function useDevice(): (agent: string | null) => string {
  const { t } = useTranslation('account');
  return useCallback(
    (agent: string | null) => {
      const words = describeAgent(agent);
      if (!agent || !words) return t('sessions.unknownDevice');
      if (!words.browser) return agent.slice(0, 40);
      return words.platform ? t('sessions.device', { browser: words.browser, platform: words.platform }) : words.browser;
    },
    [t],
  );
}

function Sessions({ version }: { version: number }): ReactElement {
  const { t } = useTranslation('account');
  const errorText = useErrorText();
  const date = useDate();
  const device = useDevice();
  const [list, setList] = useState<CentreSessionInfo[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    call('GET', ROUTES.centreSessions, CentreSessionsResponseSchema).then(
      (answer) => setList(answer.sessions),
      (failure: unknown) => setError(errorText(failure)),
    );
  }, [errorText, version, reload]);

  const end = async (id: string): Promise<void> => {
    setError(null);
    try {
      await call('DELETE', ROUTES.centreSession(id), z.unknown());
      setStatus(t('sessions.ended'));
    } catch (failure) {
      setError(errorText(failure));
    }
    setReload((r) => r + 1);
    document.getElementById('account-sessions')?.focus();
  };

  const endOthers = async (): Promise<void> => {
    setError(null);
    try {
      await call('DELETE', ROUTES.centreSessions, CentreSessionsEndedSchema);
      setStatus(t('sessions.endedOthers'));
    } catch (failure) {
      setError(errorText(failure));
    }
    setReload((r) => r + 1);
    document.getElementById('account-sessions')?.focus();
  };

  const others = list?.filter((s) => !s.current).length ?? 0;
  return (
    <section className="card account-part" aria-labelledby="account-sessions">
      <h2 id="account-sessions" tabIndex={-1}>{t('sessions.heading')}</h2>
      <p className="hint">{t('sessions.intro')}</p>
      {list === null && !error && <p aria-busy="true" />}
      {list !== null && (
        <ul className="sessions">
          {list.map((s) => {
            const name = device(s.userAgent);
            return (
              <li key={s.id} className="session" data-current={s.current || undefined}>
                <p className="session-device">
                  <strong>{name}</strong>
                  {s.current && <span className="tag">{t('sessions.thisDevice')}</span>}
                </p>
                <p className="meta">
                  <span>{t('sessions.lastSeen', { date: date(s.lastSeenAt) })}</span>
                  <span>{t('sessions.created', { date: date(s.createdAt) })}</span>
                  {s.address && <span>{t('sessions.address', { address: s.address })}</span>}
                </p>
                {!s.current && (
                  <button type="button" className="secondary" aria-label={t('sessions.endLabel', { device: name, date: date(s.lastSeenAt) })} onClick={() => void end(s.id)}>
                    {t('sessions.end')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {list !== null && others === 0 && <p className="none">{t('sessions.onlyThis')}</p>}
      {others > 0 && (
        <button type="button" className="secondary" onClick={() => void endOthers()}>
          {t('sessions.endOthers')}
        </button>
      )}
      <p role="status">{status ?? ''}</p>
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}

export function Account({ me }: { me: CentreMe }): ReactElement {
  const { t } = useTranslation('account');
  const [version, setVersion] = useState(0);
  return (
    <section className="account">
      <h1>{t('heading')}</h1>
      <section className="card account-part" aria-labelledby="account-details">
        <h2 id="account-details">{t('details.heading')}</h2>
        <dl className="details">
          <div><dt>{t('details.name')}</dt><dd>{me.contact.name}</dd></div>
          <div><dt>{t('details.email')}</dt><dd>{me.contact.email}</dd></div>
          <div><dt>{t('details.company')}</dt><dd>{me.customer.name}</dd></div>
          <div><dt>{t('details.role')}</dt><dd>{t('details.superUser')}</dd></div>
        </dl>
        <p className="hint">{t('details.changeHint')}</p>
      </section>
      <ChangePassword me={me} onChanged={() => setVersion((v) => v + 1)} />
      <Sessions version={version} />
    </section>
  );
}
