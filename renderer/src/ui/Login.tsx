import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '../i18n/typing';
import { checkServerUrl, defaultServerUrl, login, type Authenticated } from '../session/auth';
import { askForNotifications, isElectron, prefs } from '../platform/index';
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
      onLoggedIn(await login({ serverUrl: origin, email, password }));
    } catch (err) {
      setError(errorMessage(t, err));
      setBusy(false);
    }
  };

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
        <p className="muted small-print">{t('login:sessionNote')}</p>
      </form>
    </main>
  );
}
