/** Small formatting helpers shared by the pages: durations, ages, names. */

const UNITS: Array<[seconds: number, suffix: string]> = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** A duration in its two largest units: `3 h 12 min`, `45 s`. */
export function formatDuration(totalSeconds: number): string {
  let seconds = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const [size, suffix] of UNITS) {
    if (seconds >= size || (suffix === 's' && parts.length === 0)) {
      const count = Math.floor(seconds / size);
      seconds -= count * size;
      parts.push(`${count} ${suffix}`);
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** How long ago `iso` was, seen from `nowMs`: `12 min`, or `just now`. */
export function ageOf(iso: string, nowMs: number): string {
  const seconds = (nowMs - Date.parse(iso)) / 1000;
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 5) return 'just now';
  return formatDuration(seconds);
}

/** A moment in the reader's own time zone, to the second. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** `approvalTimeoutMinutes` → `Approval timeout minutes`; `dry_run` → `Dry run`. */
export function labelOf(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value shown as text: strings as they are, everything else as indented JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value, null, 2);
}

/** Only http(s) links are made clickable: never `javascript:` or `data:`. */
export function safeHttpUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `datetime-local` input text (the reader's zone) as an ISO instant; undefined when empty.
 * Text that is no time is passed on as it is, for the API to name the field.
 */
export function instantOf(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** An ISO instant as `datetime-local` input text in the reader's zone. */
export function localInputOf(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
