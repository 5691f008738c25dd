/** All locale files, bundled (a few kB): no network request before the first paint. */
import enAccount from './locales/en/account.json';
import enCall from './locales/en/call.json';
import enCase from './locales/en/case.json';
import enCommon from './locales/en/common.json';
import enErrors from './locales/en/errors.json';
import enLogin from './locales/en/login.json';
import enLookup from './locales/en/lookup.json';
import enNewCase from './locales/en/newCase.json';
import enQueue from './locales/en/queue.json';
import enShortcuts from './locales/en/shortcuts.json';
import enSync from './locales/en/sync.json';
import enAnswers from './locales/en/answers.json';
import enLead from './locales/en/lead.json';
import enCustomers from './locales/en/customers.json';
import enAdmin from './locales/en/admin.json';
import enEscalation from './locales/en/escalation.json';
import enReports from './locales/en/reports.json';
import fiAccount from './locales/fi/account.json';
import fiCall from './locales/fi/call.json';
import fiCase from './locales/fi/case.json';
import fiCommon from './locales/fi/common.json';
import fiErrors from './locales/fi/errors.json';
import fiLogin from './locales/fi/login.json';
import fiLookup from './locales/fi/lookup.json';
import fiNewCase from './locales/fi/newCase.json';
import fiQueue from './locales/fi/queue.json';
import fiShortcuts from './locales/fi/shortcuts.json';
import fiSync from './locales/fi/sync.json';
import fiAnswers from './locales/fi/answers.json';
import fiLead from './locales/fi/lead.json';
import fiCustomers from './locales/fi/customers.json';
import fiAdmin from './locales/fi/admin.json';
import fiEscalation from './locales/fi/escalation.json';
import fiReports from './locales/fi/reports.json';
import svAccount from './locales/sv/account.json';
import svCall from './locales/sv/call.json';
import svCase from './locales/sv/case.json';
import svCommon from './locales/sv/common.json';
import svErrors from './locales/sv/errors.json';
import svLogin from './locales/sv/login.json';
import svLookup from './locales/sv/lookup.json';
import svNewCase from './locales/sv/newCase.json';
import svQueue from './locales/sv/queue.json';
import svShortcuts from './locales/sv/shortcuts.json';
import svSync from './locales/sv/sync.json';
import svAnswers from './locales/sv/answers.json';
import svLead from './locales/sv/lead.json';
import svCustomers from './locales/sv/customers.json';
import svAdmin from './locales/sv/admin.json';
import svEscalation from './locales/sv/escalation.json';
import svReports from './locales/sv/reports.json';

/** Swedish is the source language: its shape types every key (typing.ts). */
export const sv = {
  common: svCommon,
  account: svAccount,
  login: svLogin,
  queue: svQueue,
  case: svCase,
  call: svCall,
  lookup: svLookup,
  sync: svSync,
  errors: svErrors,
  newCase: svNewCase,
  shortcuts: svShortcuts,
  answers: svAnswers,
  lead: svLead,
  customers: svCustomers,
  admin: svAdmin,
  escalation: svEscalation,
  reports: svReports,
};

type Namespaces = typeof sv;

/** `satisfies` makes tsc refuse a Finnish namespace that is missing or misshapen. */
export const resources = {
  sv,
  fi: {
    common: fiCommon,
    account: fiAccount,
    login: fiLogin,
    queue: fiQueue,
    case: fiCase,
    call: fiCall,
    lookup: fiLookup,
    sync: fiSync,
    errors: fiErrors,
    newCase: fiNewCase,
    shortcuts: fiShortcuts,
    answers: fiAnswers,
  lead: fiLead,
  customers: fiCustomers,
  admin: fiAdmin,
  escalation: fiEscalation,
  reports: fiReports,
  } satisfies Namespaces,
  en: {
    common: enCommon,
    account: enAccount,
    login: enLogin,
    queue: enQueue,
    case: enCase,
    call: enCall,
    lookup: enLookup,
    sync: enSync,
    errors: enErrors,
    newCase: enNewCase,
    shortcuts: enShortcuts,
    answers: enAnswers,
  lead: enLead,
  customers: enCustomers,
  admin: enAdmin,
  escalation: enEscalation,
  reports: enReports,
  } satisfies Namespaces,
};
