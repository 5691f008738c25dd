import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useT } from '../i18n/typing';
import { checkServerUrl, defaultServerUrl, login, loginWithCode, type Authenticated, type SecondStep } from '../session/auth';
import { askForNotifications, isElectron, prefs } from '../platform/index';
import { ApiError } from '../api/client';
import type { LogoutOutcome } from '../session/session';
import { errorMessage } from './errors';
import { LanguageSwitch } from './LanguageSwitch';

export function Login({ onLoggedIn, loggedOut }: { onLoggedIn: (auth: Authenticated) => void; loggedOut?: LogoutOutcome | undefined }) {
  const { t } = useT();
  const [serverUrl, setServerUrl] = useState('');
  const [email, setEmail] = useState(() => prefs.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The password was right and the account has two-factor: the code comes next.
  const [step, setStep] = useState<SecondStep | null>(null);
  const [code, setCode] = useState('');
  const codeInput = useRef<HTMLInputElement>(null);
  // Keyboard first: the code field takes the focus as the step appears (and after a refusal).
  useEffect(() => {
    if (step && !busy) codeInput.current?.focus();
  }, [step, busy]);

  useEffect(() => {
    void defaultServerUrl().then(setServerUrl);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const origin = checkServerUrl(serverUrl);
    if (!origin) {
      setError(t('login:errors.serverUrl'));
      return;
    }
    askForNotifications();
    setBusy(true);
    setError(null);
    try {
      const answer = await login({ serverUrl: origin, email, password });
      if ('challenge' in answer) {
        setStep(answer);
        setPassword('');
        setBusy(false);
        return;
      }
      onLoggedIn(answer);
    } catch (err) {
      setError(errorMessage(t, err));
      setBusy(false);
    }
  };

  const submitCode = async (e: FormEvent) => {
    e.preventDefault();
    if (!step) return;
    setBusy(true);
    setError(null);
    try {
      onLoggedIn(await loginWithCode(step, code));
    } catch (err) {
      setError(errorMessage(t, err));
      setBusy(false);
      // An expired or over-tried step starts over from the password.
      if (err instanceof ApiError && err.code === 'challenge_expired') setStep(null);
    }
  };

  if (step) {
    return (
      <main className="login">
        <form className="login-card" onSubmit={(e) => void submitCode(e)} aria-labelledby="code-title" data-testid="login-code">
          <div className="login-head">
            <h1 id="code-title">{t('login:codeTitle')}</h1>
            <LanguageSwitch />
          </div>
          <p className="muted" id="code-help">
            {t('login:codeHelp')}
          </p>
          <label>
            <span>{t('login:code')}</span>
            <input
              ref={codeInput}
              name="code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="one-time-code"
              inputMode="numeric"
              spellCheck={false}
              aria-describedby="code-help"
              required
              autoFocus
            />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('login:signingIn') : t('login:codeSubmit')}
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => {
              setStep(null);
              setCode('');
              setError(null);
            }}
          >
            {t('login:codeBack')}
          </button>
        </form>
      </main>
    );
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('login:title')}</h1>
          <LanguageSwitch />
        </div>
        {loggedOut && (
          <p className="logged-out" role="status" data-testid="logged-out">
            {loggedOut.cache === 'removed'
              ? t('login:loggedOut.removed')
              : loggedOut.heldEdits > 0
                ? t('login:loggedOut.kept', { count: loggedOut.heldEdits })
                : t('login:loggedOut.notRemoved')}
          </p>
        )}
        <p className="muted">{t('login:subtitle')}</p>
        <label>
          <span>{t('login:server')}</span>
          <input
            name="server"
            type="url"
            value={serverUrl}
            onChange={(e) => setServerUrl(e.target.value)}
            required
            spellCheck={false}
            readOnly={busy}
          />
          {isElectron && <small className="muted">{t('login:serverHint')}</small>}
        </label>
        <label>
          <span>{t('login:email')}</span>
          <input name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus={email === ''} />
        </label>
        <label>
          <span>{t('login:password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoFocus={email !== ''}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login:signingIn') : t('login:submit')}
        </button>
        <p className="muted small-print">{t('login:resetHint')}</p>
        <p className="muted small-print">{t('login:sessionNote')}</p>
      </form>
    </main>
  );
}
