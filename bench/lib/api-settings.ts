import { ConfigSchema } from '../../core/schemas/config';

/** Settings the bench decides itself; the environment's values of these are not used. */
const BENCH_OWNED = new Set(['API_KEYS', 'TEMPORAL_ADDRESS', 'TEMPORAL_TASK_QUEUE', 'LOG_LEVEL', 'PORT', 'HOST', 'DATA_DIR']);

/**
 * Firebreak's settings found in the environment (e.g. `ALERT_DELIVERY_CONCURRENCY=4 npm run
 * bench`), for the bench's API, so settings can be compared without editing code.
 */
export function apiSettingsFromEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .filter((name) => !BENCH_OWNED.has(name) && process.env[name] !== undefined)
      .map((name) => [name, process.env[name]!]),
  );
}
