import { createHash } from 'node:crypto';

/** Incident ids the API hands out: `inc-` and 12 hex digits, then `-N` for a key's Nth incident. */
export const INCIDENT_ID_PATTERN = /^inc-[0-9a-f]{12}(-[1-9][0-9]{0,5})?$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The id of the `generation`th incident for a dedup key. Every API replica derives the
 * same id, so concurrent alerts with one key meet on one workflow; once an incident is
 * resolved, its key's next firing alert opens the next generation.
 */
export function incidentIdFor(dedupKey: string, generation: number): string {
  const base = `inc-${sha256(dedupKey).slice(0, 12)}`;
  return generation === 1 ? base : `${base}-${generation}`;
}

/** A dedup key for alerts that bring none: a hash of their source and sorted labels. */
export function hashedDedupKey(canonicalIdentity: string): string {
  return `sha256:${sha256(canonicalIdentity)}`;
}

/**
 * The dedup key of a generic alert that brings its own: namespaced by its source, so a
 * generic sender never lands on another source's incidents (`alertmanager:…`, `sns:…`,
 * another generic source's keys, or the `sha256:` keys of alerts that bring none). The
 * source is percent-encoded so that its own `:` cannot shift the boundary.
 */
export function genericDedupKey(source: string, dedupKey: string): string {
  return `generic:${encodeURIComponent(source)}:${dedupKey}`;
}
