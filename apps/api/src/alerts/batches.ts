/** Alerts in one Temporal call at the most, and their size in JSON: a call stays well under Temporal's 2 MB payload limit. */
export const MAX_BATCH = 100;
export const MAX_BATCH_BYTES = 1_000_000;

/**
 * Takes from the front of `list` what one Temporal call carries: at least one item (a
 * single alert always fits: the schemas bound its size), at most {@link MAX_BATCH} items
 * and {@link MAX_BATCH_BYTES} bytes.
 */
export function takeBatch<T extends { bytes: number }>(list: T[]): T[] {
  let count = 0;
  let bytes = 0;
  while (count < list.length && count < MAX_BATCH && (count === 0 || bytes + list[count].bytes <= MAX_BATCH_BYTES)) {
    bytes += list[count].bytes;
    count += 1;
  }
  return list.splice(0, count);
}
