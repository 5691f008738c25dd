/**
 * The new password twice, with the length rule shown as the specialist types (the rule of
 * shared/, the same the server applies); the server adds the refusal of common passwords.
 */
import { useId } from 'react';
import { PASSWORD_MIN_LENGTH } from '../../../../shared/index';
import { useT } from '../../i18n/typing';

export interface NewPassword {
  value: string;
  repeat: string;
}

/** Why the new password cannot be sent yet (a message in the user's language), or null. */
export function newPasswordProblem(t: ReturnType<typeof useT>['t'], p: NewPassword): string | null {
  if (p.value.length < PASSWORD_MIN_LENGTH) return t('account:password.tooShort', { min: PASSWORD_MIN_LENGTH, count: PASSWORD_MIN_LENGTH - p.value.length });
  if (p.repeat !== p.value) return t('account:password.mismatch');
  return null;
}

export function NewPasswordFields({ value, onChange, autoFocus = false }: { value: NewPassword; onChange: (p: NewPassword) => void; autoFocus?: boolean }) {
  const { t } = useT();
  const ruleId = useId();
  const short = value.value.length > 0 && value.value.length < PASSWORD_MIN_LENGTH;
  const mismatch = value.repeat.length > 0 && value.repeat !== value.value;
  return (
    <>
      <label>
        <span>{t('account:password.new')}</span>
        <input
          name="new-password"
          type="password"
          autoComplete="new-password"
          value={value.value}
          onChange={(e) => onChange({ ...value, value: e.target.value })}
          aria-describedby={ruleId}
          aria-invalid={short}
          required
          autoFocus={autoFocus}
        />
      </label>
      <p id={ruleId} className={short ? 'hint warn-text' : 'hint muted'} aria-live="polite">
        {short ? t('account:password.tooShort', { min: PASSWORD_MIN_LENGTH, count: PASSWORD_MIN_LENGTH - value.value.length }) : t('account:password.rule', { min: PASSWORD_MIN_LENGTH })}
      </p>
      <label>
        <span>{t('account:password.repeat')}</span>
        <input
          name="repeat-password"
          type="password"
          autoComplete="new-password"
          value={value.repeat}
          onChange={(e) => onChange({ ...value, repeat: e.target.value })}
          aria-invalid={mismatch}
          required
        />
      </label>
      {mismatch && <p className="hint warn-text">{t('account:password.mismatch')}</p>}
    </>
  );
}
