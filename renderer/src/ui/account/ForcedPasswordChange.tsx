/** After a one-time reset (or the first admin's generated password): a new password before the desk. */
import { useState, type FormEvent } from 'react';
import { useT } from '../../i18n/typing';
import { changePasswordFirst, type Authenticated } from '../../session/auth';
import { errorMessage } from '../errors';
import { LanguageSwitch } from '../LanguageSwitch';
import { NewPasswordFields, newPasswordProblem, type NewPassword } from './NewPasswordFields';

export function ForcedPasswordChange({ auth, onDone, onLogout }: { auth: Authenticated; onDone: (auth: Authenticated) => void; onLogout: () => void }) {
  const { t } = useT();
  const [password, setPassword] = useState<NewPassword>({ value: '', repeat: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = newPasswordProblem(t, password);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await changePasswordFirst(auth, password.value));
    } catch (err) {
      setError(errorMessage(t, err));
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="forced-title" data-testid="forced-password">
        <div className="login-head">
          <h1 id="forced-title">{t('account:forced.title')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('account:forced.intro')}</p>
        <p className="muted small-print">{auth.me.email}</p>
        <NewPasswordFields value={password} onChange={setPassword} autoFocus />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('account:forced.submit')}
        </button>
        <button type="button" className="ghost" onClick={onLogout}>
          {t('account:forced.logout')}
        </button>
      </form>
    </main>
  );
}
