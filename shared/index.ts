/** The public, platform-neutral API of Desk: domain rules and the server–desk contract. */
export * from './teams';
export * from './categories';
export * from './modules';
export * from './numbers';
export * from './search';
export * from './contract';
export * from './api';
export * from './mutations';
export * from './entitlement';
export * from './calendar';
export * from './sla';
export * from './grants';
export * from './host';
export * from './mime';
export * from './calls';
export * from './mail';
export * from './templates';
