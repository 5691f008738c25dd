/** Login, a forgotten password, and setting a password from an invitation or reset link. */
import { useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ROUTES } from '../../../shared/api';
import { CentreSessionSchema, type CentreSession } from '../../../shared/centre';
import { PASSWORD_MIN_LENGTH } from '../../../shared/api';
import { call } from './api';
import { useErrorText } from './util';

function Alert({ text }: { text: string | null }): ReactElement | null {
  return text ? <p role="alert" className="error">{text}</p> : null;
}

export function Login({ onSignedIn }: { onSignedIn(session: CentreSession): void }): ReactElement {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await call('POST', ROUTES.centreLogin, CentreSessionSchema, { email, password }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card narrow">
      <h1>{t('login.heading')}</h1>
      <p>{t('login.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="login-email">{t('login.email')}</label>
        <input id="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="login-password">{t('login.password')}</label>
        <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <Alert text={error} />
        <button type="submit" className="primary" disabled={busy}>{t('login.submit')}</button>
      </form>
      <p><a href="#/forgot">{t('login.forgot')}</a></p>
    </section>
  );
}

export function ForgotPassword(): ReactElement {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      await call('POST', ROUTES.centreReset, z.unknown(), { email: email.trim() });
      setSent(true);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  return (
    <section className="card narrow">
      <h1>{t('forgot.heading')}</h1>
      {sent ? (
        <p role="status">{t('forgot.sent')}</p>
      ) : (
        <>
          <p>{t('forgot.intro')}</p>
          <form onSubmit={(e) => void submit(e)} noValidate>
            <label htmlFor="forgot-email">{t('login.email')}</label>
            <input id="forgot-email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            <Alert text={error} />
            <button type="submit" className="primary">{t('forgot.submit')}</button>
          </form>
        </>
      )}
      <p><a href="#/">{t('forgot.back')}</a></p>
    </section>
  );
}

export function SetPassword({ kind, token, onSignedIn }: { kind: 'invite' | 'reset'; token: string; onSignedIn(session: CentreSession): void }): ReactElement {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const short = password.length > 0 && password.length < PASSWORD_MIN_LENGTH;
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (password.length < PASSWORD_MIN_LENGTH) return setError(t('errors.too_short', { min: PASSWORD_MIN_LENGTH }));
    if (password !== confirm) return setError(t('setPassword.mismatch'));
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await call('POST', ROUTES.centrePassword, CentreSessionSchema, { token, password }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card narrow">
      <h1>{kind === 'invite' ? t('setPassword.invitation') : t('setPassword.reset')}</h1>
      <p id="password-rule">{t('setPassword.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="new-password">{t('setPassword.password')}</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="password-rule"
          aria-invalid={short}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor="confirm-password">{t('setPassword.confirm')}</label>
        <input id="confirm-password" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        <Alert text={error} />
        <button type="submit" className="primary" disabled={busy}>{t('setPassword.submit')}</button>
      </form>
    </section>
  );
}
