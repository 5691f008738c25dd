/**
 * The phone switch of the demo: its two options as a real installation configures them
 * (`DESK_CTI_OPTIONS`), so the README's call example (`queue=hantverk`, or dialling
 * 08-123 450 01) rings Team 1 and a caller of the other team is flagged for transfer.
 */
export const DEMO_CTI_OPTIONS = '1=hantverk,+46812345001;2=handel,+46812345002';
