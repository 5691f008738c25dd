/**
 * The customer centre's frame: the signed-in SuperUser (or the login and password screens), the
 * header with the company, language and logout, and the screen the address's fragment names
 * (`#/`, `#/new`, `#/case/<id>`, `#/invitation/<token>`, `#/reset/<token>`, `#/forgot`).
 */
import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ROUTES } from '../../../shared/api';
import { CentreMeSchema, type CentreMe, type CentreSession } from '../../../shared/centre';
import type { Language } from '../../../shared/teams';
import { call, tokenStore } from './api';
import { go } from './util';
import { ForgotPassword, Login, SetPassword } from './Auth';
import { CaseList, CaseView } from './Cases';
import { NewCase } from './NewCase';
import { QaArticle, QaLink, QaSearch } from './Qa';
import { setLanguage } from './i18n';
import { Grants, GrantsLink } from './Grants';
import { Account, AccountLink } from './Account';

export function useHashRoute(): string {
  const [hash, setHash] = useState(() => location.hash.replace(/^#/, '') || '/');
  useEffect(() => {
    const changed = (): void => setHash(location.hash.replace(/^#/, '') || '/');
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function LanguageSwitch(): ReactElement {
  const { t, i18n } = useTranslation();
  const options: Array<[Language, string]> = [
    ['sv', 'Svenska'],
    ['fi', 'Suomi'],
  ];
  return (
    <nav aria-label={t('language')} className="lang">
      {options.map(([lang, label]) => (
        <button key={lang} type="button" className="link" lang={lang} aria-pressed={i18n.language === lang} onClick={() => void setLanguage(lang)}>
          {label}
        </button>
      ))}
    </nav>
  );
}

const MeAnswer = z.object({ me: CentreMeSchema });

export function App(): ReactElement {
  const { t } = useTranslation();
  const route = useHashRoute();
  const [me, setMe] = useState<CentreMe | null>(null);
  const [checking, setChecking] = useState(() => tokenStore.get() !== null);

  useEffect(() => {
    if (!checking) return;
    call('GET', ROUTES.centreMe, MeAnswer).then(
      ({ me: found }) => {
        setMe(found);
        void setLanguage(found.customer.language);
        setChecking(false);
      },
      () => {
        tokenStore.clear();
        setChecking(false);
      },
    );
  }, [checking]);

  const signedIn = (session: CentreSession): void => {
    tokenStore.set(session.token);
    setMe(session.me);
    void setLanguage(session.me.customer.language);
    go('/');
  };

  const logout = async (): Promise<void> => {
    try {
      await call('POST', ROUTES.centreLogout, z.unknown(), {});
    } catch {
      // Signed out here whatever the server says.
    }
    tokenStore.clear();
    setMe(null);
    go('/');
  };

  // A 401 anywhere (expired session) clears the token: back to the login.
  useEffect(() => {
    if (me && tokenStore.get() === null) setMe(null);
  });

  let screen: ReactElement;
  const link = /^\/(invitation|reset)\/([A-Za-z0-9_-]+)$/.exec(route);
  const caseMatch = /^\/case\/([^/]+)$/.exec(route);
  if (link?.[1] && link[2]) screen = <SetPassword kind={link[1] === 'invitation' ? 'invite' : 'reset'} token={link[2]} onSignedIn={signedIn} />;
  else if (route === '/forgot') screen = <ForgotPassword />;
  else if (checking) screen = <p aria-busy="true" />;
  else if (!me) screen = <Login onSignedIn={signedIn} />;
  else if (route === '/new') screen = <NewCase me={me} />;
  else if (caseMatch?.[1]) screen = <CaseView id={decodeURIComponent(caseMatch[1])} me={me} />;
  else if (route === '/grants') screen = <Grants me={me} />;
  else if (/^\/qa(\/[^/]+)?$/.test(route)) screen = route === '/qa' ? <QaSearch me={me} /> : <QaArticle id={decodeURIComponent(route.slice('/qa/'.length))} />;
  else if (route === '/account') screen = <Account me={me} />;
  else screen = <CaseList me={me} />;

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skip')}
      </a>
      <header className="top">
        <div className="brand">
          <span className="logo" aria-hidden="true">S1</span>
          <span>{t('title')}</span>
        </div>
        {me ? (
          <nav aria-label={t('nav.cases')} className="menu">
            <a href="#/">{t('nav.cases')}</a>
            <a href="#/new" className="primary-link">{t('nav.newCase')}</a>
            <QaLink />
            <GrantsLink />
            <AccountLink />
            <button type="button" className="link" onClick={() => void logout()}>{t('nav.logout')}</button>
          </nav>
        ) : (
          <LanguageSwitch />
        )}
      </header>
      {me && <p className="who">{t('nav.signedInAs', { name: me.contact.name, company: me.customer.name })}</p>}
      <main id="main" tabIndex={-1}>
        {screen}
      </main>
    </>
  );
}
