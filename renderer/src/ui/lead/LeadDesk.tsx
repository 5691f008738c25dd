/**
 * The lead's desk (key g, leads only): a side bar of sections (a vertical tab list: ↑ ↓ Home End
 * move, the section follows) and the chosen section beside it. Every section talks to the server
 * through lead-only routes, which refuse a specialist (403) whatever this screen shows.
 */
import { Component, Suspense, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useT } from '../../i18n/typing';
import type { DisplayRow } from '../../model/rows';
import { LEAD_SECTIONS, registeredSections, type LeadSectionId } from './sections';

interface Props {
  section: LeadSectionId;
  onSection: (id: LeadSectionId) => void;
  onOpenCase: (row: DisplayRow) => void;
  onBack: () => void;
  /** The lead has not turned on two-factor yet: the server answers 403 to lead functions until then. */
  twoFactorNeeded: boolean;
}

export function LeadDesk({ section, onSection, onOpenCase, onBack, twoFactorNeeded }: Props) {
  const { t } = useT();
  const ids = registeredSections();
  const current = ids.includes(section) ? section : ids[0];
  const tabs = useRef(new Map<LeadSectionId, HTMLButtonElement>());

  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!current) return;
    const at = ids.indexOf(current);
    const next =
      e.key === 'ArrowDown' ? ids[(at + 1) % ids.length] : e.key === 'ArrowUp' ? ids[(at - 1 + ids.length) % ids.length] : e.key === 'Home' ? ids[0] : e.key === 'End' ? ids[ids.length - 1] : undefined;
    if (!next) return;
    e.preventDefault();
    onSection(next);
    tabs.current.get(next)?.focus();
  };

  const Section = current ? LEAD_SECTIONS[current] : undefined;
  return (
    <section className="lead-desk" aria-labelledby="lead-desk-title" data-testid="lead-desk">
      <div className="panel-head">
        <h1 id="lead-desk-title">{t('lead:title')}</h1>
        <button type="button" className="ghost" onClick={onBack} title="Esc">
          {t('lead:back')}
        </button>
      </div>
      {twoFactorNeeded && (
        <p className="banner warn" role="status" data-testid="lead-two-factor">
          {t('lead:twoFactorNeeded')}
        </p>
      )}
      <div className="lead-body">
        <div className="lead-nav" role="tablist" aria-orientation="vertical" aria-label={t('lead:sections')} onKeyDown={move}>
          {ids.map((id) => (
            <button
              key={id}
              ref={(el) => {
                if (el) tabs.current.set(id, el);
                else tabs.current.delete(id);
              }}
              type="button"
              role="tab"
              id={`lead-tab-${id}`}
              aria-selected={id === current}
              aria-controls={`lead-panel-${id}`}
              tabIndex={id === current ? 0 : -1}
              className={id === current ? 'lead-tab current' : 'lead-tab'}
              onClick={() => onSection(id)}
              data-testid={`lead-tab-${id}`}
            >
              {t(`lead:section.${id}`)}
            </button>
          ))}
        </div>
        {current && Section && (
          <div className="lead-panel" role="tabpanel" id={`lead-panel-${current}`} aria-labelledby={`lead-tab-${current}`}>
            <SectionBoundary key={current} message={t('lead:loadFailed')}>
              <Suspense fallback={<p className="muted">{t('lead:loading')}</p>}>
                <Section onOpenCase={onOpenCase} />
              </Suspense>
            </SectionBoundary>
          </div>
        )}
      </div>
    </section>
  );
}

/** A section whose code could not be loaded (offline, before it was ever opened) says so instead of a blank panel. */
class SectionBoundary extends Component<{ message: string; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? (
      <p className="error" role="alert">
        {this.props.message}
      </p>
    ) : (
      this.props.children
    );
  }
}
