/** Injection tokens for values the API is built from. */
export const CONFIG = Symbol('firebreak.config');
export const API_KEYS = Symbol('firebreak.api-keys');
