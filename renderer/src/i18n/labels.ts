/**
 * Domain words come from shared/ — the brochures' own terms (Supportfråga/Tukipyyntö, the
 * status words of the process diagrams) — not from the locale files, so server, desk and
 * documents never drift apart.
 */
import {
  CATEGORY_LABELS,
  INDUSTRIES,
  MODULE_LABELS,
  PRODUCT_LABELS,
  statusWord,
  TEAMS,
  type CategoryId,
  type IndustryId,
  type ModuleId,
  type ProductId,
  type StatusId,
  type TeamId,
} from '../../../shared/index';
import type { UiLanguage } from './format';

export const categoryLabel = (c: CategoryId, lang: UiLanguage): string => CATEGORY_LABELS[c][lang];
/** A status in its category's words (the Finnish order's "Toteutus"); the common word without one. */
export const statusLabel = (s: StatusId, lang: UiLanguage, category?: CategoryId): string => statusWord(s, lang, category);
export const moduleLabel = (m: ModuleId, lang: UiLanguage): string => MODULE_LABELS[m][lang];
export const productLabel = (p: ProductId, lang: UiLanguage): string => PRODUCT_LABELS[p][lang];
export const teamName = (t: TeamId, lang: UiLanguage): string => TEAMS[t].name[lang];
export const industryLabel = (i: IndustryId, lang: UiLanguage): string => INDUSTRIES[i].name[lang];
