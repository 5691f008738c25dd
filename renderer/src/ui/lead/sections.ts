/**
 * The sections of the lead's desk, in the order of its side bar. Each part of the lead's desk is
 * one lazily loaded component (its code, and a chart library's, stays out of the specialists'
 * first load): a section appears in the side bar once it is registered here.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { DisplayRow } from '../../model/rows';

export const LEAD_SECTION_IDS = ['customers', 'import', 'accounts', 'gdpr', 'audit', 'escalation', 'calendar', 'reports'] as const;
export type LeadSectionId = (typeof LEAD_SECTION_IDS)[number];

export interface LeadSectionProps {
  /** Opens a case on the desk (a case named in a report, a person's case in the GDPR view). */
  onOpenCase: (row: DisplayRow) => void;
}

type Section = LazyExoticComponent<ComponentType<LeadSectionProps>>;

/** A section's component, loaded when first shown: `section(() => import('./x/XSection'))` (its default export). */
export const section = (load: () => Promise<{ default: ComponentType<LeadSectionProps> }>): Section => lazy(load);

/** One line per section, e.g. `customers: section(() => import('./customers/CustomersSection')),`. */
export const LEAD_SECTIONS: Partial<Record<LeadSectionId, Section>> = {
  customers: section(() => import('./customers/CustomersSection')),
  import: section(() => import('./customers/ImportSection')),
  accounts: section(() => import('./admin/AccountsSection')),
  gdpr: section(() => import('./admin/GdprSection')),
  audit: section(() => import('./admin/AuditSection')),
  reports: section(() => import('./reports/ReportsSection')),
  escalation: section(() => import('./escalation/EscalationSection')),
  calendar: section(() => import('./escalation/CalendarSection')),
};

/** The registered sections, in the side bar's order. */
export function registeredSections(): LeadSectionId[] {
  return LEAD_SECTION_IDS.filter((id) => LEAD_SECTIONS[id] !== undefined);
}
