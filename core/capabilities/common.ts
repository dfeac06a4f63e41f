import { z } from 'zod';

/**
 * Every side-effecting step carries an idempotency key derived from its workflow id and
 * step id (see {@link stepIdempotencyKey}); adapters hand it to the vendor (dedup keys,
 * client tokens, search-before-create) so a retried or replayed step acts once.
 */
export const IdempotencyKeySchema = z.string().min(1).max(255);

export const StepInputBase = z.object({ idempotencyKey: IdempotencyKeySchema });

// Re-exported from a module without zod, which workflow code imports directly.
export { CapabilityFailure, stepIdempotencyKey } from './keys';
