/** `?`: every shortcut, grouped by where it works. */
import { useT } from '../i18n/typing';

const GROUPS = {
  everywhere: [
    ['/', 'lookup'],
    ['Ctrl K', 'lookup'],
    ['↑ ↓ Enter', 'lookupChoose'],
    ['0–9', 'typeNumber'],
    ['n', 'newCase'],
    ['l', 'callLog'],
    ['Alt 1 / 2 / 3', 'team'],
    ['?', 'help'],
    ['Esc', 'back'],
    ['u', 'mailReview'],
    ['s', 'templatesScreen'],
    ['b', 'kbScreen'],
    ['g', 'leadDesk'],
  ],
  queue: [
    ['j / ↓', 'down'],
    ['k / ↑', 'up'],
    ['Enter', 'open'],
    ['Shift 1–5', 'views'],
  ],
  case: [
    ['a', 'assignMe'],
    [']', 'next'],
    ['[', 'previous'],
    ['m', 'note'],
    ['e', 'edit'],
    ['t', 'transfer'],
    ['h', 'history'],
    ['Ctrl V', 'pasteFile'],
    ['Alt U', 'attachFile'],
    ['Delete', 'removeFile'],
    ['r', 'reply'],
    ['Alt S', 'switchMode'],
    ['Ctrl Enter', 'send'],
  ],
  call: [
    ['o', 'openCase'],
    ['c', 'newFromCall'],
    ['x', 'dismiss'],
    ['h', 'history'],
  ],
  callLog: [
    ['j / k / ↑ / ↓', 'down'],
    ['Enter', 'open'],
    ['r', 'callBack'],
    ['d', 'markCallDone'],
    ['Space', 'selectCall'],
  ],
  note: [
    ['Alt M', 'insertTemplate'],
    ['Alt K', 'insertArticle'],
  ],
  customers: [
    ['Alt F', 'findCustomer'],
    ['Alt N', 'newCustomer'],
  ],
} as const;

export function Shortcuts({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onClick={onClose} data-testid="shortcuts">
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <div className="panel-head">
          <h2 id="shortcuts-title">{t('shortcuts:title')}</h2>
          <button type="button" className="ghost" onClick={onClose} autoFocus>
            {t('common:close')}
          </button>
        </div>
        <div className="shortcut-groups">
          {(Object.keys(GROUPS) as Array<keyof typeof GROUPS>).map((group) => (
            <section key={group}>
              <h3>{t(`shortcuts:groups.${group}`)}</h3>
              <dl>
                {GROUPS[group].map(([keys, action]) => (
                  <div key={keys} className="shortcut">
                    <dt>
                      <kbd>{keys}</kbd>
                    </dt>
                    <dd>{t(`shortcuts:actions.${action}`)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
