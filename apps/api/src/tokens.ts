/** Injection tokens for values the API is built from. */
export const CONFIG = Symbol('firebreak.config');
export const API_KEYS = Symbol('firebreak.api-keys');
export const OPERATOR_CONFIG = Symbol('firebreak.operator-config');
export const SNS_TRANSPORT = Symbol('firebreak.sns-transport');
export const RUNBOOK_CATALOG = Symbol('firebreak.runbook-catalog');
