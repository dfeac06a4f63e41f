import { z } from 'zod';
import { utf8String } from '../text-schemas';

/**
 * Every side-effecting step carries an idempotency key derived from its workflow id and
 * step id (see {@link stepIdempotencyKey}); adapters hand it to the vendor (dedup keys,
 * client tokens, search-before-create) so a retried or replayed step acts once.
 */
export const IdempotencyKeySchema = z.string().min(1).max(255);

export const StepInputBase = z.object({ idempotencyKey: IdempotencyKeySchema });

/**
 * The most a text field of a step (a key, name, title, summary, message or description)
 * may hold, in UTF-8 bytes: 64 KiB. Far above any vendor's limit, which each adapter fits
 * the value to (`activities/fit.ts`), so no realistic value fails a step; still bounded, so a
 * step's input stays a small part of a workflow payload.
 */
export const STEP_TEXT_MAX_BYTES = 65_536;

/**
 * A step's text field: at least `min` characters and at most {@link STEP_TEXT_MAX_BYTES}
 * bytes. Vendor limits are not checked here: adapters fit values to them.
 */
export const stepText = (min = 0) => utf8String(STEP_TEXT_MAX_BYTES).min(min);

// Re-exported from a module without zod, which workflow code imports directly.
export { CapabilityFailure, stepIdempotencyKey } from '../../model/capabilities/keys';
