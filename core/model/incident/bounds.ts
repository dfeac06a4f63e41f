/**
 * How much an incident workflow holds. Its state is carried whole through queries and
 * continue-as-new, so every part of it is bounded: the timeline and the alerts are windows
 * of the most recent entries (older ones are counted, not held), receipts and firing alerts
 * are bounded sets, and the workflow continues as new when its state grows past
 * `INCIDENT_LIMITS.continueAtStateBytes`, far below Temporal's 2 MB payload limit.
 * Pure and zod-free: the workflow imports it.
 */
import type { TimelineEntry } from '../incident-model';
import { jsonBytes, shortenKey, truncateText } from '../text';

export const INCIDENT_LIMITS = {
  /** Timeline entries held; older ones are counted in `timelineDropped`. */
  timelineEntries: 1_000,
  /** The held timeline as JSON. */
  timelineBytes: 384 * 1024,
  /** The timeline a new run starts with after continue-as-new. */
  carriedTimelineBytes: 192 * 1024,
  /** Recent alerts held (each cut to the state alert limits, about 8 KB at most). */
  alerts: 50,
  alertsBytes: 192 * 1024,
  carriedAlertsBytes: 96 * 1024,
  /**
   * Receipt ids remembered for deduplication, most recently seen first. Redeliveries come
   * within seconds (an alert queue's recovery within 30 s); 4,096 covers far more than that.
   */
  receipts: 4_096,
  /** Distinct firing alerts tracked; past it, auto-mitigation is off for the incident. */
  firing: 2_000,
  /** Runbook starts waiting to be made, and their inputs as JSON. */
  pendingLaunches: 16,
  pendingLaunchesBytes: 128 * 1024,
  actionItems: 50,
  investigators: 50,
  /** Notification records held (older ones are counted in `notificationsDropped`). */
  notifications: 200,
  /** Notifications waiting for their time (people × rules across the levels paged). */
  pendingNotifications: 200,
  /** People remembered as notified, for acknowledgements from a notification. */
  notifiedPeople: 100,
  /** Runbook executions listed on the incident. */
  runbooks: 200,
  /** One timeline entry's summary (a note is at most 16 KiB), actor and details. */
  entrySummaryBytes: 17 * 1024,
  entryActorBytes: 200,
  entryDetailsBytes: 4 * 1024,
  /**
   * Continue as new once the state (the postmortem aside) is this large, and has grown by a
   * quarter of it since the run started (so a run that starts large cannot loop).
   */
  continueAtStateBytes: 512 * 1024,
  /**
   * A run continues on state size only once it is this old: Temporal holds back the first
   * task of a run that follows one continued within moments, and reads wait for it.
   */
  minRunMsBeforeStateContinue: 10_000,
} as const;

/** A timeline entry within the entry limits: a long summary cut, oversized details replaced by their size. */
export function boundEntry(entry: TimelineEntry): TimelineEntry {
  const summary = truncateText(entry.summary, INCIDENT_LIMITS.entrySummaryBytes);
  const actor = shortenKey(entry.actor, INCIDENT_LIMITS.entryActorBytes);
  const detailsBytes = entry.details === undefined ? 0 : jsonBytes(entry.details);
  if (summary === entry.summary && actor === entry.actor && detailsBytes <= INCIDENT_LIMITS.entryDetailsBytes) return entry;
  return {
    ...entry,
    summary,
    actor,
    ...(detailsBytes > INCIDENT_LIMITS.entryDetailsBytes ? { details: { omitted: `details of ${detailsBytes} bytes left out` } } : {}),
  };
}

/**
 * A list held as a window: items and their JSON sizes, trimmed from the oldest end. The
 * list is the state object itself, so the snapshot always shows the window.
 */
export class SizedWindow<T> {
  private readonly sizes: number[];
  private total: number;

  constructor(readonly items: T[]) {
    this.sizes = items.map((item) => jsonBytes(item));
    this.total = this.sizes.reduce((sum, size) => sum + size + 1, 2);
  }

  /** The window as JSON, in bytes. */
  get bytes(): number {
    return this.total;
  }

  push(item: T): void {
    const size = jsonBytes(item);
    this.items.push(item);
    this.sizes.push(size);
    this.total += size + 1;
  }

  /** Drops the oldest items until at most `maxItems` and `maxBytes` remain (the newest always stays). */
  trim(maxItems: number, maxBytes: number, dropped?: (item: T) => void): void {
    while (this.items.length > 1 && (this.items.length > maxItems || this.total > maxBytes)) {
      const item = this.items.shift()!;
      this.total -= this.sizes.shift()! + 1;
      dropped?.(item);
    }
  }
}

/** A set of at most `max` ids, oldest out first; seeing an id again makes it the newest. */
export class BoundedIdSet {
  private readonly ids: Set<string>;

  constructor(
    ids: Iterable<string>,
    private readonly max: number,
    private readonly compact: (id: string) => string,
  ) {
    this.ids = new Set([...ids].map(compact));
    this.evict();
  }

  get size(): number {
    return this.ids.size;
  }

  /** True when `id` was held (and it is now the newest). */
  seen(id: string): boolean {
    const key = this.compact(id);
    if (!this.ids.has(key)) return false;
    this.ids.delete(key);
    this.ids.add(key);
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(this.compact(id));
  }

  add(id: string): void {
    const key = this.compact(id);
    this.ids.delete(key);
    this.ids.add(key);
    this.evict();
  }

  delete(id: string): void {
    this.ids.delete(this.compact(id));
  }

  values(): string[] {
    return [...this.ids];
  }

  private evict(): void {
    while (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
  }
}
