/** Boot → login or desk; a cache that cannot be opened gets its own screen with the re-sync path. */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/typing';
import { Desk } from './Desk';
import { Login } from './Login';
import { CacheProblemScreen } from './SyncBanner';
import { abandon, resume, type Authenticated } from '../session/auth';
import { ForcedPasswordChange } from './account/ForcedPasswordChange';
import { SessionContext } from './hooks';
import { DeskSession, type CacheProblem, type LogoutOutcome } from '../session/session';

type Screen =
  | { kind: 'loading' }
  /** `loggedOut`: what the logout before it did with this computer's copy of the cache. */
  | { kind: 'login'; loggedOut?: LogoutOutcome }
  | { kind: 'password'; auth: Authenticated }
  | { kind: 'desk'; session: DeskSession }
  | { kind: 'problem'; problem: CacheProblem; auth: Authenticated };

export function App() {
  const { t } = useT();
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  // Counts the changes of screen (and entries begun): what was begun for an older one is stale.
  const generation = useRef(0);
  const show = useCallback((next: Screen) => {
    generation.current += 1;
    setScreen(next);
  }, []);

  const enter = useCallback(
    async (auth: Authenticated) => {
      // A temporary password (one-time reset, the first admin's): a new one before the desk.
      if (auth.account?.mustChangePassword) {
        show({ kind: 'password', auth });
        return;
      }
      const entry = ++generation.current;
      const opened = await DeskSession.open(auth);
      // The screen moved on while the cache opened (the server asked for a new password first,
      // or said the token is no longer valid): this entry does not put anyone on the desk.
      if (generation.current !== entry) {
        if (typeof opened !== 'string') opened.close();
        return;
      }
      if (typeof opened === 'string') {
        show({ kind: 'problem', problem: opened, auth });
        return;
      }
      // The desk's first render is a big one: in slices, so it is not one long task.
      startTransition(() => show({ kind: 'desk', session: opened }));
      void opened.start();
    },
    [show],
  );

  useEffect(() => {
    let cancelled = false;
    void resume().then((resumed) => {
      if (cancelled) return;
      if (!resumed) {
        show({ kind: 'login' });
        return;
      }
      void enter(resumed.auth);
      // Resumed from the cache: the server says whether the password must be changed first.
      void resumed.account.then((account) => {
        if (account?.mustChangePassword && !cancelled) show({ kind: 'password', auth: { ...resumed.auth, account } });
      });
      // The server said the token is no longer valid: back to the login (cache and outbox stay).
      void resumed.confirm.then((valid) => {
        // (Leaving the desk screen stops its session, see the effect below.)
        if (!valid && !cancelled) show({ kind: 'login' });
      });
    });
    return () => {
      cancelled = true;
    };
  }, [enter, show]);

  useEffect(() => {
    if (screen.kind !== 'desk') return;
    const session = screen.session;
    // Logged out in another tab: this one has stopped; the login screen, and then what that
    // logout did with this computer's copy of the cache.
    const unsubscribe = session.loggedOutElsewhere.subscribe(() => {
      const outcome = session.loggedOutElsewhere.get();
      if (!outcome) return;
      show({ kind: 'login' });
      const shown = generation.current;
      void outcome.then((loggedOut) => {
        if (generation.current === shown) show({ kind: 'login', loggedOut });
      });
    });
    return () => {
      unsubscribe();
      session.stop();
    };
  }, [screen, show]);

  switch (screen.kind) {
    case 'loading':
      return <div className="boot" aria-busy="true">{t('common:app.loading')}</div>;
    case 'login':
      return <Login onLoggedIn={(auth) => void enter(auth)} loggedOut={screen.loggedOut} />;
    case 'password':
      return (
        <ForcedPasswordChange
          auth={screen.auth}
          onDone={(auth) => void enter(auth)}
          onLogout={() => void abandon(screen.auth).then(() => show({ kind: 'login' }))}
        />
      );
    case 'problem':
      return <CacheProblemScreen problem={screen.problem} auth={screen.auth} />;
    case 'desk':
      return (
        <SessionContext.Provider value={screen.session}>
          <Desk
            onLogout={() => {
              void screen.session.logout().then((loggedOut) => show({ kind: 'login', loggedOut }));
            }}
          />
        </SessionContext.Provider>
      );
  }
}
