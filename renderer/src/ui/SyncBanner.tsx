/**
 * Sync states that need words: first sync progress (or its place in the server's queue), offline, an expired session, and cache
 * problems (disk full, blocked by another window, unreadable) with the re-sync path.
 */
import { memo, useState } from 'react';
import { useT } from '../i18n/typing';
import { deleteCacheOf, login, loginWithCode, type Authenticated, type SecondStep } from '../session/auth';
import { useFormat, useSession, useSignal } from './hooks';
import type { CacheProblem } from '../session/session';
import { errorMessage } from './errors';

/** Memoised: it follows the session itself, not the desk's route. */
export const SyncBanner = memo(SyncBannerView);

function SyncBannerView() {
  const { t } = useT();
  const fmt = useFormat();
  const session = useSession();
  const status = useSignal(session.status);
  const loaded = useSignal(session.loaded);
  const b = status.bootstrap;

  if (status.problem) return <ProblemBar problem={status.problem} />;
  return (
    <>
      {status.authExpired && <ReLogin />}
      {!b.complete && (
        <div className="banner info" data-testid="bootstrap-progress">
          {status.waiting ? (
            // The server queued this first sync behind other desks'; the engine asks again by itself.
            <span role="status" data-testid="bootstrap-waiting">
              {t('sync:bootstrap.waiting', { place: fmt.number(status.waiting.place) })}
            </span>
          ) : (
            <span>
              {b.total > 0
                ? t('sync:bootstrap.progress', { done: fmt.number(b.done), total: fmt.number(b.total) })
                : loaded
                  ? t('sync:bootstrap.starting')
                  : t('sync:bootstrap.loadingCache')}
            </span>
          )}
          <progress max={b.total || 1} value={b.done} aria-label={t('sync:bootstrap.label')} />
        </div>
      )}
      {status.connection === 'offline' && (
        <div className="banner warn" data-testid="offline-banner">
          {t('sync:offlineExplain')}
        </div>
      )}
      {status.serverError && <div className="banner warn">{t('sync:serverError')}</div>}
    </>
  );
}

function ProblemBar({ problem }: { problem: CacheProblem }) {
  const { t } = useT();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const resync = async () => {
    setBusy(true);
    const { keptEdits, lostEdits } = await session.resync();
    setResult(lostEdits ? t('sync:problem.lostEdits') : t('sync:problem.keptEdits', { count: keptEdits }));
    window.location.reload();
  };
  return (
    <div className="banner danger" role="alert" data-testid="cache-problem">
      <span>{t(`sync:problem.${problem}`)}</span>
      {result && <span>{result}</span>}
      <button type="button" className="primary" onClick={() => void resync()} disabled={busy}>
        {t('sync:problem.resync')}
      </button>
      {problem === 'blocked' && (
        <button type="button" className="secondary" onClick={() => window.location.reload()}>
          {t('sync:problem.reload')}
        </button>
      )}
    </div>
  );
}

/** The cache could not even be opened: rebuild it (nothing in it is readable to keep). */
export function CacheProblemScreen({ problem, auth }: { problem: CacheProblem; auth: Authenticated }) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const rebuild = async () => {
    setBusy(true);
    await deleteCacheOf(auth);
    window.location.reload();
  };
  return (
    <main className="login">
      <div className="login-card" role="alert" data-testid="cache-problem">
        <h1>{t('sync:problem.title')}</h1>
        <p>{t(`sync:problem.${problem}`)}</p>
        {problem !== 'blocked' && <p className="warn">{t('sync:problem.unreadable')}</p>}
        <div className="row-actions">
          <button type="button" className="secondary" onClick={() => window.location.reload()}>
            {t('sync:problem.reload')}
          </button>
          <button type="button" className="primary" onClick={() => void rebuild()} disabled={busy}>
            {t('sync:problem.resync')}
          </button>
        </div>
      </div>
    </main>
  );
}

function ReLogin() {
  const { t } = useT();
  const session = useSession();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // An account with two-factor answers the password with a second step.
  const [step, setStep] = useState<SecondStep | null>(null);
  const [error, setError] = useState<string | null>(null);
  const failed = (err: unknown) => setError(errorMessage(t, err));
  const resumeWith = (auth: Authenticated) => {
    // Logged in with a one-time reset code: the start asks for a new password first.
    if (auth.account?.mustChangePassword) window.location.reload();
    else session.setToken(auth.token);
  };
  return (
    <form
      className="banner warn"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        if (step) {
          loginWithCode(step, code).then(resumeWith, failed);
          return;
        }
        login({ serverUrl: session.serverUrl, email: session.me.email, password }).then(
          (auth) => ('token' in auth ? resumeWith(auth) : setStep(auth)),
          failed,
        );
      }}
    >
      <span>{t('sync:authExpired')}</span>
      {step ? (
        <input
          key="code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-label={t('login:code')}
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          autoFocus
        />
      ) : (
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} aria-label={t('login:password')} autoComplete="current-password" required />
      )}
      <button type="submit" className="primary">
        {t('login:submit')}
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}
