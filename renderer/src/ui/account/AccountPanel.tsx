/**
 * "My account", from the top bar: change the password, two-step verification (QR code,
 * recovery codes to copy, turning it off), the account's logins with logging out any of them,
 * and for leads the one-time reset of a colleague's password. Online only; every answer and
 * refusal is shown in the specialist's language.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { describeAgent, type SessionInfo } from '../../../../shared/index';
import { useT } from '../../i18n/typing';
import type { AccountInfo, TwoFactorSetup } from '../../session/account';
import { errorMessage } from '../errors';
import { useFormat, useSession } from '../hooks';
import { NewPasswordFields, newPasswordProblem, type NewPassword } from './NewPasswordFields';

type Status = { kind: 'ok' | 'error'; text: string } | null;

function StatusLine({ status }: { status: Status }) {
  if (!status) return null;
  return status.kind === 'error' ? (
    <p className="error" role="alert">
      {status.text}
    </p>
  ) : (
    <p className="ok-text" role="status">
      {status.text}
    </p>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const id = useId();
  return (
    <section className="panel account-section" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function AccountPanel({ onBack }: { onBack: () => void }) {
  const { t } = useT();
  const session = useSession();
  const [info, setInfo] = useState<AccountInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const twoFactorRef = useRef<HTMLButtonElement>(null);

  const reload = useCallback(() => {
    session.account.info().then(setInfo, (err: unknown) => setLoadError(errorMessage(t, err)));
  }, [session, t]);
  useEffect(reload, [reload]);

  return (
    <div className="account" data-testid="account">
      <div className="account-head">
        <h1>{t('account:title')}</h1>
        <span className="muted">
          {session.me.name} · {session.me.email}
        </span>
        <div className="spacer" />
        <button type="button" className="ghost" onClick={onBack}>
          {t('account:back')}
        </button>
      </div>
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {!info && !loadError && <p className="muted">{t('account:loading')}</p>}
      {info && (
        <div className="account-grid">
          <ChangePassword />
          <Extension initial={info.specialist.extension ?? null} />
          <TwoFactor info={info} onChanged={reload} startRef={twoFactorRef} />
          <Sessions />
          {session.me.role === 'lead' && <ResetColleague twoFactorMissing={info.account.twoFactorRequired} onEnrol={() => twoFactorRef.current?.focus()} />}
        </div>
      )}
    </div>
  );
}

function ChangePassword() {
  const { t } = useT();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState<NewPassword>({ value: '', repeat: '' });
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = newPasswordProblem(t, next);
    if (problem) {
      setStatus({ kind: 'error', text: problem });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      await session.account.changePassword(current, next.value);
      setCurrent('');
      setNext({ value: '', repeat: '' });
      setStatus({ kind: 'ok', text: t('account:password.saved') });
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('account:password.title')} testId="change-password">
      <form className="account-form" onSubmit={(e) => void submit(e)}>
        <label>
          <span>{t('account:password.current')}</span>
          <input name="current-password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <NewPasswordFields value={next} onChange={setNext} />
        <StatusLine status={status} />
        <button type="submit" className="primary" disabled={busy}>
          {t('account:password.submit')}
        </button>
      </form>
    </Section>
  );
}

/** The extension the phone switch names when this specialist answers: the pop then comes here alone. */
function Extension({ initial }: { initial: string | null }) {
  const { t } = useT();
  const session = useSession();
  const [value, setValue] = useState(initial ?? '');
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const hintId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const extension = value.trim() === '' ? null : value.trim();
    if (extension !== null && !/^\d{2,8}$/.test(extension)) {
      setStatus({ kind: 'error', text: t('account:extension.invalid') });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const saved = await session.account.setExtension(extension);
      setValue(saved.extension ?? '');
      setStatus({ kind: 'ok', text: t('account:extension.saved') });
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('account:extension.title')} testId="extension">
      <form className="account-form" onSubmit={(e) => void submit(e)}>
        <label>
          <span>{t('account:extension.label')}</span>
          <input name="extension" inputMode="numeric" autoComplete="off" maxLength={8} value={value} onChange={(e) => setValue(e.target.value)} aria-describedby={hintId} />
        </label>
        <p className="muted small" id={hintId}>
          {t('account:extension.hint')}
        </p>
        <StatusLine status={status} />
        <button type="submit" className="primary" disabled={busy}>
          {t('account:extension.save')}
        </button>
      </form>
    </Section>
  );
}

function TwoFactor({ info, onChanged, startRef }: { info: AccountInfo; onChanged: () => void; startRef: React.RefObject<HTMLButtonElement | null> }) {
  const { t } = useT();
  const session = useSession();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const enabled = info.account.twoFactorEnabled;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setStatus(null);
    try {
      await work();
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  };

  const copy = () =>
    void navigator.clipboard.writeText((recovery ?? []).join('\n')).then(
      () => setStatus({ kind: 'ok', text: t('account:twoFactor.copied') }),
      () => undefined,
    );

  return (
    <Section title={t('account:twoFactor.title')} testId="two-factor">
      {recovery ? (
        <div className="recovery">
          <h3>{t('account:twoFactor.recoveryTitle')}</h3>
          <p className="muted">{t('account:twoFactor.recoveryHelp')}</p>
          <ol className="recovery-codes" data-testid="recovery-codes">
            {recovery.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          <StatusLine status={status} />
          <div className="row-buttons">
            <button type="button" onClick={copy}>
              {t('account:twoFactor.copy')}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setRecovery(null);
                setStatus(null);
                onChanged();
              }}
            >
              {t('account:twoFactor.done')}
            </button>
          </div>
        </div>
      ) : enabled ? (
        <>
          <p>{t('account:twoFactor.on', { count: info.recoveryCodesLeft })}</p>
          <form
            className="account-form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(async () => {
                await session.account.disableTwoFactor(password, code);
                setPassword('');
                setCode('');
                setStatus({ kind: 'ok', text: t('account:twoFactor.disabled') });
                onChanged();
              });
            }}
          >
            <h3>{t('account:twoFactor.disableTitle')}</h3>
            <label>
              <span>{t('account:twoFactor.password')}</span>
              <input name="disable-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            </label>
            <label>
              <span>{t('account:twoFactor.disableCode')}</span>
              <input name="disable-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="one-time-code" spellCheck={false} required />
            </label>
            <StatusLine status={status} />
            <button type="submit" disabled={busy}>
              {t('account:twoFactor.disable')}
            </button>
          </form>
        </>
      ) : setup ? (
        <form
          className="account-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              setRecovery(await session.account.confirmTwoFactor(password, code));
              setSetup(null);
              setCode('');
              setPassword('');
            });
          }}
        >
          <p className="muted">{t('account:twoFactor.scan')}</p>
          <img className="qr" src={setup.qrDataUrl} alt={t('account:twoFactor.qrAlt')} width={200} height={200} />
          <p className="muted">
            {t('account:twoFactor.manual')} <code data-testid="totp-secret">{setup.secret.match(/.{1,4}/g)?.join(' ')}</code>
          </p>
          <label>
            <span>{t('account:twoFactor.code')}</span>
            <input name="totp-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="one-time-code" inputMode="numeric" spellCheck={false} required autoFocus />
          </label>
          <label>
            <span>{t('account:twoFactor.confirmPassword')}</span>
            <input name="enrol-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
          <StatusLine status={status} />
          <button type="submit" className="primary" disabled={busy}>
            {t('account:twoFactor.confirm')}
          </button>
        </form>
      ) : (
        <>
          <p>{t('account:twoFactor.off')}</p>
          {info.account.twoFactorRequired && <p className="warn-text">{t('account:twoFactor.leadRequired')}</p>}
          <StatusLine status={status} />
          <button type="button" className="primary" ref={startRef} disabled={busy} onClick={() => void run(async () => setSetup(await session.account.startTwoFactor()))}>
            {t('account:twoFactor.start')}
          </button>
        </>
      )}
    </Section>
  );
}

/** "Chrome (Linux)", "Desk (Windows)", or the unknown-device label. */
function deviceOf(agent: string | null, unknown: string): string {
  const words = describeAgent(agent);
  if (!agent || !words) return unknown;
  return words.browser ? `${words.browser} (${words.platform ?? '?'})` : agent.slice(0, 40);
}

function Sessions() {
  const { t } = useT();
  const session = useSession();
  const format = useFormat();
  const [list, setList] = useState<SessionInfo[] | null>(null);
  const [status, setStatus] = useState<Status>(null);

  const load = useCallback(() => {
    session.account.sessions().then(setList, (err: unknown) => setStatus({ kind: 'error', text: errorMessage(t, err) }));
  }, [session, t]);
  useEffect(load, [load]);

  const revoke = (id: string) =>
    void session.account.revokeSession(id).then(
      () => {
        setStatus({ kind: 'ok', text: t('account:sessions.revoked') });
        load();
      },
      (err: unknown) => setStatus({ kind: 'error', text: errorMessage(t, err) }),
    );

  return (
    <Section title={t('account:sessions.title')} testId="sessions">
      {list === null ? (
        <p className="muted">{t('account:loading')}</p>
      ) : (
        <table className="sessions">
          <thead>
            <tr>
              <th scope="col">{t('account:sessions.device')}</th>
              <th scope="col">{t('account:sessions.address')}</th>
              <th scope="col">{t('account:sessions.created')}</th>
              <th scope="col">{t('account:sessions.lastUsed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('account:sessions.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => {
              const device = deviceOf(s.userAgent, t('account:sessions.unknownDevice'));
              return (
                <tr key={s.id} data-current={s.current || undefined}>
                  <td>
                    {device}
                    {s.current && <span className="tag">{t('account:sessions.current')}</span>}
                  </td>
                  <td>{s.address ?? '–'}</td>
                  <td>{format.dateTime(Date.parse(s.createdAt))}</td>
                  <td>{format.dateTime(Date.parse(s.lastSeenAt))}</td>
                  <td>
                    {!s.current && (
                      <button type="button" className="ghost" onClick={() => revoke(s.id)} aria-label={t('account:sessions.revokeLabel', { device })}>
                        {t('account:sessions.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {list !== null && list.length <= 1 && <p className="muted">{t('account:sessions.none')}</p>}
      <StatusLine status={status} />
    </Section>
  );
}

function ResetColleague({ twoFactorMissing, onEnrol }: { twoFactorMissing: boolean; onEnrol: () => void }) {
  const { t } = useT();
  const session = useSession();
  const format = useFormat();
  const [who, setWho] = useState('');
  const [issued, setIssued] = useState<{ name: string; code: string; expiresAt: string } | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const colleagues = useMemo(
    () => [...session.store.directory.specialists.values()].filter((s) => s.id !== session.me.id && s.active).sort((a, b) => a.name.localeCompare(b.name)),
    [session],
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const target = colleagues.find((s) => s.id === who);
    if (!target) return;
    setBusy(true);
    setStatus(null);
    setIssued(null);
    try {
      const answer = await session.account.resetPassword(target.id);
      setIssued({ name: target.name, ...answer });
    } catch (err) {
      setStatus({ kind: 'error', text: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('account:reset.title')} testId="reset-colleague">
      <p className="muted">{t('account:reset.help')}</p>
      {twoFactorMissing && (
        <p className="warn-text">
          {t('account:reset.needTwoFactor')}{' '}
          <button type="button" className="link" onClick={onEnrol}>
            {t('account:twoFactor.start')}
          </button>
        </p>
      )}
      <form className="account-form" onSubmit={(e) => void submit(e)}>
        <label>
          <span>{t('account:reset.who')}</span>
          <select name="reset-who" value={who} onChange={(e) => setWho(e.target.value)} required>
            <option value="">{t('account:reset.choose')}</option>
            {colleagues.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.email})
              </option>
            ))}
          </select>
        </label>
        <StatusLine status={status} />
        <button type="submit" disabled={busy || who === ''}>
          {t('account:reset.submit')}
        </button>
      </form>
      {issued && (
        <div className="issued" role="status" data-testid="reset-code">
          <p>{t('account:reset.code', { name: issued.name })}</p>
          <p>
            <code className="big-code">{issued.code}</code>
          </p>
          <p className="muted">{t('account:reset.expires', { time: format.time(Date.parse(issued.expiresAt)) })}</p>
        </div>
      )}
    </Section>
  );
}
