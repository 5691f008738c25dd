/** Products and the SoftOne GO modules a case can be about (customers license and SuperUsers train per module). */
import type { Language } from './teams';

export const PRODUCT_IDS = ['go', 'timer', 'local'] as const;
export type ProductId = (typeof PRODUCT_IDS)[number];

export const PRODUCT_LABELS: Record<ProductId, Record<Language, string>> = {
  go: { sv: 'SoftOne GO', fi: 'SoftOne GO' },
  timer: { sv: 'SoftOne Timer', fi: 'SoftOne Timer' },
  local: { sv: 'Lokalt installerat system', fi: 'Paikallisesti asennettu järjestelmä' },
};

export const MODULE_IDS = [
  'finance',
  'payroll',
  'time',
  'staff',
  'billing',
  'orders',
  'projects',
  'inventory',
  'purchasing',
  'attest',
  'mobile',
  'api',
] as const;
export type ModuleId = (typeof MODULE_IDS)[number];

export const MODULE_LABELS: Record<ModuleId, Record<Language, string>> = {
  finance: { sv: 'Ekonomi', fi: 'Talous' },
  payroll: { sv: 'Lön', fi: 'Palkat' },
  time: { sv: 'Tid', fi: 'Työaika' },
  staff: { sv: 'Personal', fi: 'Henkilöstö' },
  billing: { sv: 'Fakturering', fi: 'Laskutus' },
  orders: { sv: 'Order', fi: 'Tilaukset' },
  projects: { sv: 'Projekt', fi: 'Projektit' },
  inventory: { sv: 'Lager', fi: 'Varasto' },
  purchasing: { sv: 'Inköp', fi: 'Ostot' },
  attest: { sv: 'Attest', fi: 'Hyväksyntä' },
  mobile: { sv: 'Mobil', fi: 'Mobiili' },
  api: { sv: 'API & integrationer', fi: 'API ja integraatiot' },
};
