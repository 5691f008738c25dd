/**
 * Accounts (lead's desk): the specialists and leads, active and disabled, filtered by office,
 * team, role and state; a new account with a first password its owner must change; an edit of
 * role, teams, office, language and extension, disabling and enabling; and the one-time reset,
 * whose code is shown once with what to do with it. The server checks every rule (the last
 * active lead, a taken extension, an existing e-mail, a weak password): its refusals are shown
 * at their fields.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { LANGUAGES, OFFICES, TEAM_IDS, type Specialist, type TeamId } from '../../../../../shared/index';
import { useT } from '../../../i18n/typing';
import { teamName } from '../../../i18n/labels';
import { errorMessage } from '../../errors';
import { useFormat, useLanguage, useSession } from '../../hooks';
import { NewPasswordFields, newPasswordProblem, type NewPassword } from '../../account/NewPasswordFields';
import type { LeadSectionProps } from '../sections';
import { Field, FormError, formErrors, NO_ERRORS, type FormErrors } from './shared';

type Role = Specialist['role'];
interface Filter {
  office: '' | Specialist['office'];
  team: '' | `${TeamId}`;
  role: '' | Role;
  state: '' | 'active' | 'disabled';
}
type Editing = { kind: 'new' } | { kind: 'edit'; account: Specialist } | null;
interface Issued {
  name: string;
  email: string;
  code: string;
  expiresAt: string;
}

export default function AccountsSection(_props: LeadSectionProps) {
  const { t } = useT();
  const session = useSession();
  const lang = useLanguage();
  const [accounts, setAccounts] = useState<Specialist[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>({ office: '', team: '', role: '', state: '' });
  const [editing, setEditing] = useState<Editing>(null);
  const [resetting, setResetting] = useState<Specialist | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(() => {
    session.admin.accounts().then(
      (list) => {
        setAccounts(list);
        setLoadError(null);
      },
      (err: unknown) => setLoadError(errorMessage(t, err)),
    );
  }, [session, t]);
  useEffect(reload, [reload]);

  const shown = useMemo(
    () =>
      (accounts ?? [])
        .filter(
          (a) =>
            (filter.office === '' || a.office === filter.office) &&
            (filter.team === '' || a.teams.includes(Number(filter.team) as TeamId)) &&
            (filter.role === '' || a.role === filter.role) &&
            (filter.state === '' || (filter.state === 'active') === a.active),
        )
        .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name)),
    [accounts, filter],
  );

  const saved = (account: Specialist, created: boolean) => {
    setEditing(null);
    setNotice(t(created ? 'admin:accounts.created' : 'admin:accounts.saved', { name: account.name }));
    reload();
  };

  return (
    <div className="admin-section" data-testid="admin-accounts">
      <div className="admin-head">
        <h2>{t('admin:accounts.title')}</h2>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setEditing({ kind: 'new' });
            setIssued(null);
            setNotice(null);
          }}
          data-testid="account-new"
        >
          {t('admin:accounts.new')}
        </button>
      </div>
      <div className="admin-filters" role="group" aria-label={t('admin:accounts.filters')}>
        <label>
          <span>{t('admin:accounts.office')}</span>
          <select value={filter.office} onChange={(e) => setFilter({ ...filter, office: e.target.value as Filter['office'] })} data-testid="accounts-filter-office">
            <option value="">{t('admin:all')}</option>
            {OFFICES.map((o) => (
              <option key={o} value={o}>
                {t(`admin:office.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('admin:accounts.team')}</span>
          <select value={filter.team} onChange={(e) => setFilter({ ...filter, team: e.target.value as Filter['team'] })}>
            <option value="">{t('admin:all')}</option>
            {TEAM_IDS.map((id) => (
              <option key={id} value={String(id)}>
                {teamName(id, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('admin:accounts.role')}</span>
          <select value={filter.role} onChange={(e) => setFilter({ ...filter, role: e.target.value as Filter['role'] })} data-testid="accounts-filter-role">
            <option value="">{t('admin:all')}</option>
            <option value="specialist">{t('admin:role.specialist')}</option>
            <option value="lead">{t('admin:role.lead')}</option>
          </select>
        </label>
        <label>
          <span>{t('admin:accounts.state')}</span>
          <select value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value as Filter['state'] })}>
            <option value="">{t('admin:all')}</option>
            <option value="active">{t('admin:accounts.active')}</option>
            <option value="disabled">{t('admin:accounts.disabled')}</option>
          </select>
        </label>
      </div>
      {notice !== null && (
        <p className="ok-text" role="status" data-testid="accounts-notice">
          {notice}
        </p>
      )}
      {editing !== null && (
        <AccountForm
          key={editing.kind === 'edit' ? editing.account.id : 'new'}
          account={editing.kind === 'edit' ? editing.account : null}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      {resetting !== null && (
        <ResetConfirm
          account={resetting}
          onIssued={(answer) => {
            setIssued({ name: resetting.name, email: resetting.email, ...answer });
            setResetting(null);
          }}
          onCancel={() => setResetting(null)}
        />
      )}
      {issued !== null && <IssuedCode issued={issued} onDone={() => setIssued(null)} />}
      <FormError text={loadError} />
      {accounts === null && loadError === null && <p className="muted">{t('lead:loading')}</p>}
      {accounts !== null && (
        <table className="admin-table" data-testid="accounts-table">
          <caption className="visually-hidden">{t('admin:accounts.caption', { count: shown.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin:accounts.name')}</th>
              <th scope="col">{t('admin:accounts.role')}</th>
              <th scope="col">{t('admin:accounts.teams')}</th>
              <th scope="col">{t('admin:accounts.office')}</th>
              <th scope="col">{t('admin:accounts.extension')}</th>
              <th scope="col">{t('admin:accounts.state')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin:actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr key={a.id} className={a.active ? undefined : 'disabled-row'} data-testid="account-row" data-email={a.email}>
                <td>
                  <div>{a.name}</div>
                  <div className="muted small">{a.email}</div>
                </td>
                <td>{t(`admin:role.${a.role}`)}</td>
                <td>{a.teams.map((id) => teamName(id, lang)).join(', ')}</td>
                <td>
                  {t(`admin:office.${a.office}`)} · {t(`admin:language.${a.language}`)}
                </td>
                <td>{a.extension ?? '—'}</td>
                <td>{a.active ? t('admin:accounts.active') : <span className="chip warn">{t('admin:accounts.disabled')}</span>}</td>
                <td className="row-buttons">
                  <button
                    type="button"
                    className="ghost"
                    onClick={() => {
                      setEditing({ kind: 'edit', account: a });
                      setNotice(null);
                    }}
                    aria-label={t('admin:accounts.editWho', { name: a.name })}
                    data-testid="account-edit"
                  >
                    {t('admin:accounts.edit')}
                  </button>
                  {a.active && a.id !== session.me.id && (
                    <button
                      type="button"
                      className="ghost"
                      onClick={() => {
                        setResetting(a);
                        setIssued(null);
                      }}
                      aria-label={t('admin:accounts.resetWho', { name: a.name })}
                      data-testid="account-reset"
                    >
                      {t('admin:accounts.reset')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

const CREATE_FIELDS = ['email', 'name', 'role', 'teams', 'office', 'language', 'extension', 'password'] as const;

function AccountForm({ account, onSaved, onCancel }: { account: Specialist | null; onSaved: (a: Specialist, created: boolean) => void; onCancel: () => void }) {
  const { t } = useT();
  const session = useSession();
  const lang = useLanguage();
  const [email, setEmail] = useState(account?.email ?? '');
  const [name, setName] = useState(account?.name ?? '');
  const [role, setRole] = useState<Role>(account?.role ?? 'specialist');
  const [teams, setTeams] = useState<TeamId[]>(account?.teams ?? [1]);
  const [office, setOffice] = useState<Specialist['office']>(account?.office ?? session.me.office);
  const [language, setLanguage] = useState<Specialist['language']>(account?.language ?? session.me.language);
  const [extension, setExtension] = useState(account?.extension ?? '');
  const [password, setPassword] = useState<NewPassword>({ value: '', repeat: '' });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const isNew = account === null;
  const title = isNew ? t('admin:accounts.newTitle') : t('admin:accounts.editTitle', { name: account.name });

  const run = async (action: () => Promise<Specialist>) => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      onSaved(await action(), isNew);
    } catch (err) {
      setErrors(formErrors(t, err, CREATE_FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (teams.length === 0) {
      setErrors({ fields: { teams: t('admin:accounts.teamsNeeded') }, form: null });
      return;
    }
    const fields = { name: name.trim(), role, teams, office, language, extension: extension.trim() === '' ? null : extension.trim() };
    if (isNew) {
      const problem = newPasswordProblem(t, password);
      if (problem !== null) {
        setErrors({ fields: { password: problem }, form: null });
        return;
      }
      void run(() => session.admin.createAccount({ ...fields, email: email.trim(), password: password.value }));
    } else {
      void run(() => session.admin.updateAccount(account.id, fields));
    }
  };

  const toggleTeam = (id: TeamId, on: boolean) => setTeams((current) => (on ? [...current, id].sort() : current.filter((x) => x !== id)));

  return (
    <form className="admin-form panel" onSubmit={submit} aria-label={title} data-testid="account-form" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onCancel())}>
      <h3>{title}</h3>
      {isNew && <p className="muted">{t('admin:accounts.firstPasswordHelp')}</p>}
      <div className="admin-form-grid">
        {isNew && (
          <Field label={t('admin:accounts.email')} error={errors.fields.email}>
            {(aria) => <input name="email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus {...aria} />}
          </Field>
        )}
        <Field label={t('admin:accounts.name')} error={errors.fields.name}>
          {(aria) => <input name="name" value={name} onChange={(e) => setName(e.target.value)} required autoFocus={!isNew} {...aria} />}
        </Field>
        <Field label={t('admin:accounts.role')} error={errors.fields.role}>
          {(aria) => (
            <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} {...aria}>
              <option value="specialist">{t('admin:role.specialist')}</option>
              <option value="lead">{t('admin:role.lead')}</option>
            </select>
          )}
        </Field>
        <Field label={t('admin:accounts.office')} error={errors.fields.office}>
          {(aria) => (
            <select name="office" value={office} onChange={(e) => setOffice(e.target.value as Specialist['office'])} {...aria}>
              {OFFICES.map((o) => (
                <option key={o} value={o}>
                  {t(`admin:office.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin:accounts.language')} error={errors.fields.language}>
          {(aria) => (
            <select name="language" value={language} onChange={(e) => setLanguage(e.target.value as Specialist['language'])} {...aria}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`admin:language.${l}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('admin:accounts.extension')} error={errors.fields.extension}>
          {(aria) => <input name="extension" inputMode="numeric" pattern="\d{2,8}" value={extension} onChange={(e) => setExtension(e.target.value)} {...aria} />}
        </Field>
      </div>
      <fieldset className="admin-teams" aria-invalid={errors.fields.teams !== undefined}>
        <legend>{t('admin:accounts.teams')}</legend>
        {TEAM_IDS.map((id) => (
          <label key={id} className="check">
            <input type="checkbox" name={`team-${id}`} checked={teams.includes(id)} onChange={(e) => toggleTeam(id, e.target.checked)} />
            <span>{teamName(id, lang)}</span>
          </label>
        ))}
        {errors.fields.teams !== undefined && (
          <span className="error field-error" role="alert">
            {errors.fields.teams}
          </span>
        )}
      </fieldset>
      {isNew && (
        <div className="admin-password">
          <NewPasswordFields value={password} onChange={setPassword} />
          {errors.fields.password !== undefined && (
            <p className="error field-error" role="alert" data-testid="password-error">
              {errors.fields.password}
            </p>
          )}
        </div>
      )}
      <FormError text={errors.form} />
      <div className="dialog-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="account-save">
          {isNew ? t('admin:accounts.create') : t('admin:accounts.save')}
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          {t('admin:cancel')}
        </button>
        {!isNew && account.id !== session.me.id && (
          <button
            type="button"
            className={account.active ? 'warn-button' : 'ghost'}
            disabled={busy}
            onClick={() => void run(() => session.admin.updateAccount(account.id, { active: !account.active }))}
            data-testid="account-toggle"
          >
            {account.active ? t('admin:accounts.disable') : t('admin:accounts.enable')}
          </button>
        )}
      </div>
      {!isNew && account.active && <p className="muted small">{t('admin:accounts.disableHelp')}</p>}
    </form>
  );
}

function ResetConfirm({ account, onIssued, onCancel }: { account: Specialist; onIssued: (a: { code: string; expiresAt: string }) => void; onCancel: () => void }) {
  const { t } = useT();
  const session = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const issue = async () => {
    setBusy(true);
    setError(null);
    try {
      onIssued(await session.admin.resetPassword(account.id));
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="admin-form panel" role="group" aria-labelledby="reset-confirm-title" data-testid="reset-confirm">
      <h3 id="reset-confirm-title">{t('admin:reset.title', { name: account.name })}</h3>
      <p>{t('admin:reset.explain')}</p>
      <FormError text={error} />
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={() => void issue()} disabled={busy} autoFocus data-testid="reset-issue">
          {t('admin:reset.issue')}
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          {t('admin:cancel')}
        </button>
      </div>
    </div>
  );
}

function IssuedCode({ issued, onDone }: { issued: Issued; onDone: () => void }) {
  const { t } = useT();
  const format = useFormat();
  return (
    <div className="admin-form panel issued" role="status" data-testid="reset-issued">
      <h3>{t('admin:reset.codeTitle', { name: issued.name })}</h3>
      <p>
        <code className="big-code" data-testid="reset-issued-code">
          {issued.code}
        </code>
      </p>
      <ol className="admin-steps">
        <li>{t('admin:reset.step1', { name: issued.name })}</li>
        <li>{t('admin:reset.step2', { email: issued.email })}</li>
        <li>{t('admin:reset.step3')}</li>
      </ol>
      <p className="muted">{t('admin:reset.expires', { time: format.time(Date.parse(issued.expiresAt)) })}</p>
      <button type="button" className="ghost" onClick={onDone} data-testid="reset-done">
        {t('admin:reset.done')}
      </button>
    </div>
  );
}
