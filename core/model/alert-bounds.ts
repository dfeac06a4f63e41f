/**
 * The size of an alert, bounded. The generic route refuses what is over these limits (its
 * sender controls its payload); vendor payloads are cut to them with a note, because
 * Alertmanager, Grafana and SNS cannot shorten what their users write and refusing would
 * lose the page. Workflows bound the alerts they hold with the tighter
 * {@link STATE_ALERT_LIMITS}. Pure and zod-free, so workflows may use it.
 */
import type { Alert, AlertLink } from './alert';
import { cleanLine, cleanText, hasLineForbidden, jsonBytes, shortenKey, truncateText, utf8Bytes } from './text';

export interface AlertLimits {
  sourceBytes: number;
  summaryBytes: number;
  dedupKeyBytes: number;
  serviceBytes: number;
  fingerprintBytes: number;
  labelNameBytes: number;
  labelValueBytes: number;
  labelEntries: number;
  /** The label map as JSON. */
  labelsBytes: number;
  annotationNameBytes: number;
  annotationValueBytes: number;
  annotationEntries: number;
  /** The annotation map as JSON (the truncation note aside). */
  annotationsBytes: number;
  externalUrlBytes: number;
  startsAtBytes: number;
  linkEntries: number;
  linkTextBytes: number;
  /** The links as JSON; each link's URL is at most `externalUrlBytes`. */
  linksBytes: number;
}

/**
 * Limits of one alert, in UTF-8 bytes. With them one alert is at most about 33 KB as
 * JSON, so a Temporal call of 100 alerts stays far below Temporal's 2 MB payload limit.
 */
export const ALERT_LIMITS = {
  sourceBytes: 100,
  summaryBytes: 2_048,
  dedupKeyBytes: 512,
  serviceBytes: 200,
  fingerprintBytes: 128,
  labelNameBytes: 128,
  labelValueBytes: 1_024,
  labelEntries: 64,
  labelsBytes: 8_192,
  annotationNameBytes: 128,
  annotationValueBytes: 8_192,
  annotationEntries: 64,
  annotationsBytes: 16_384,
  externalUrlBytes: 2_048,
  startsAtBytes: 64,
  linkEntries: 12,
  linkTextBytes: 200,
  linksBytes: 12_288,
} as const satisfies AlertLimits;

/** A whole generic alert body as JSON. */
export const GENERIC_ALERT_MAX_BYTES = 32_768;

/** Alerts read from one Alertmanager or Grafana delivery; the rest are counted in a note. */
export const MAX_ALERTS_PER_DELIVERY = 200;

/**
 * How an incident holds an alert in its list of recent alerts: enough to read and route
 * by, at most about 8 KB. The whole alert was on its way in; the timeline says it came.
 */
export const STATE_ALERT_LIMITS = {
  ...ALERT_LIMITS,
  summaryBytes: 1_024,
  labelValueBytes: 256,
  labelsBytes: 2_048,
  annotationValueBytes: 1_024,
  annotationsBytes: 4_096,
  linkEntries: 8,
  linksBytes: 4_096,
} as const satisfies AlertLimits;

/** The annotation that says what was cut from an alert, and why. */
export const TRUNCATION_NOTE = 'firebreak_truncated';
const NOTE_BYTES = 1_024;

interface MapRules {
  what: string;
  nameBytes: number;
  valueBytes: number;
  entries: number;
  totalBytes: number;
  /** Label values are identity: shortened with a hash so two long values stay apart. Annotation values are text. */
  value: 'key' | 'text';
}

/** `map` within `rules`, built with own properties only (a `__proto__` name stays a plain key). */
function boundMap(map: Record<string, string>, rules: MapRules, notes: string[]): Record<string, string> {
  const entries: Array<[string, string]> = [];
  const seen = new Set<string>();
  let total = 2;
  let cut = 0;
  let dropped = 0;
  for (const name of Object.keys(map)) {
    const raw = map[name];
    if (typeof raw !== 'string') continue;
    if (entries.length >= rules.entries) {
      dropped += 1;
      continue;
    }
    const key = shortenKey(cleanLine(name), rules.nameBytes);
    if (seen.has(key)) {
      dropped += 1;
      continue;
    }
    const value = rules.value === 'key' ? shortenKey(cleanLine(raw), rules.valueBytes) : truncateText(cleanText(raw), rules.valueBytes);
    if (key !== name || utf8Bytes(value) < utf8Bytes(raw)) cut += 1;
    const size = jsonBytes(key) + jsonBytes(value) + 2;
    if (total + size > rules.totalBytes) {
      dropped += 1;
      continue;
    }
    seen.add(key);
    entries.push([key, value]);
    total += size;
  }
  if (cut > 0) notes.push(`${cut} ${rules.what} cut to ${rules.nameBytes}-byte names and ${rules.valueBytes}-byte values`);
  if (dropped > 0) notes.push(`${dropped} ${rules.what} left out (at most ${rules.entries}, ${rules.totalBytes} bytes in all)`);
  return Object.fromEntries(entries);
}

/**
 * `alert` within `limits`: text cut with an ellipsis, keys shortened with a hash (the same
 * input always gives the same key), control characters replaced, and a
 * {@link TRUNCATION_NOTE} annotation saying what was cut. An alert within the limits comes
 * back unchanged (the same object).
 */
export function boundAlert<A extends Alert>(alert: A, limits: AlertLimits = ALERT_LIMITS, extraNotes: string[] = []): A {
  const notes: string[] = [...extraNotes];
  const { [TRUNCATION_NOTE]: earlier, ...annotationsIn } = alert.annotations;
  const labels = boundMap(
    alert.labels,
    { what: 'labels', nameBytes: limits.labelNameBytes, valueBytes: limits.labelValueBytes, entries: limits.labelEntries, totalBytes: limits.labelsBytes, value: 'key' },
    notes,
  );
  const annotations = boundMap(
    annotationsIn,
    {
      what: 'annotations',
      nameBytes: limits.annotationNameBytes,
      valueBytes: limits.annotationValueBytes,
      entries: limits.annotationEntries,
      totalBytes: limits.annotationsBytes,
      value: 'text',
    },
    notes,
  );
  const summary = truncateText(cleanLine(alert.summary), limits.summaryBytes);
  if (summary !== alert.summary && utf8Bytes(summary) < utf8Bytes(alert.summary)) notes.push(`summary cut to ${limits.summaryBytes} bytes`);
  const externalUrl =
    alert.externalUrl !== undefined && (utf8Bytes(alert.externalUrl) > limits.externalUrlBytes || hasLineForbidden(alert.externalUrl))
      ? undefined
      : alert.externalUrl;
  if (externalUrl !== alert.externalUrl) notes.push(`link left out (over ${limits.externalUrlBytes} bytes or not one line)`);
  const startsAt = alert.startsAt !== undefined && utf8Bytes(alert.startsAt) > limits.startsAtBytes ? undefined : alert.startsAt;
  if (startsAt !== alert.startsAt) notes.push('start time left out (too long)');
  const service = alert.service === undefined ? undefined : shortenKey(cleanLine(alert.service), limits.serviceBytes);
  const links = alert.links === undefined ? undefined : boundLinks(alert.links, limits, notes);
  const bounded: A = {
    ...alert,
    source: shortenKey(cleanLine(alert.source), limits.sourceBytes),
    summary,
    dedupKey: shortenKey(cleanLine(alert.dedupKey), limits.dedupKeyBytes),
    service: service === '' ? undefined : service,
    labels,
    annotations,
    ...(alert.fingerprint !== undefined ? { fingerprint: shortenKey(cleanLine(alert.fingerprint), limits.fingerprintBytes) } : {}),
    ...(alert.externalUrl !== undefined ? { externalUrl } : {}),
    ...(alert.startsAt !== undefined ? { startsAt } : {}),
    ...(links !== undefined ? { links } : {}),
  };
  const note = [earlier, ...notes].filter((text): text is string => typeof text === 'string' && text !== '').join('; ');
  if (note) bounded.annotations = { ...bounded.annotations, [TRUNCATION_NOTE]: truncateText(cleanText(note), NOTE_BYTES) };
  return unchanged(alert, bounded) ? alert : bounded;
}

const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

/** An http(s) URL of one line within `maxBytes`, or undefined: a link is followed, never cut. */
export function linkUrl(url: string | undefined | null, maxBytes: number = ALERT_LIMITS.externalUrlBytes): string | undefined {
  const trimmed = url?.trim();
  if (!trimmed || !HTTP_URL.test(trimmed) || hasLineForbidden(trimmed) || utf8Bytes(trimmed) > maxBytes) return undefined;
  return trimmed;
}

/**
 * Links within `limits`: http(s) only (a `javascript:` link never reaches a page), each URL
 * whole or left out, texts cut, the same link once, and the list bounded in count and bytes.
 */
function boundLinks(links: readonly AlertLink[], limits: AlertLimits, notes: string[]): AlertLink[] {
  const kept: AlertLink[] = [];
  const seen = new Set<string>();
  let total = 2;
  let dropped = 0;
  for (const link of links) {
    const url = linkUrl(link.url, limits.externalUrlBytes);
    if (!url || seen.has(`${link.kind} ${url}`) || kept.length >= limits.linkEntries) {
      if (!url || kept.length >= limits.linkEntries) dropped += 1;
      continue;
    }
    const text = link.text === undefined ? undefined : truncateText(cleanLine(link.text), limits.linkTextBytes);
    const bounded: AlertLink = { kind: link.kind, url, ...(text ? { text } : {}) };
    const size = jsonBytes(bounded) + 1;
    if (total + size > limits.linksBytes) {
      dropped += 1;
      continue;
    }
    seen.add(`${link.kind} ${url}`);
    kept.push(bounded);
    total += size;
  }
  if (dropped > 0) notes.push(`${dropped} links left out (not http(s), over ${limits.externalUrlBytes} bytes, or past ${limits.linkEntries})`);
  return kept;
}

function unchanged(before: Alert, after: Alert): boolean {
  return JSON.stringify(before) === JSON.stringify(after);
}
