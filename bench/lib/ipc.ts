/** Messages between the bench driver and its child processes (the worker host, the API host). */

/** The driver asks; the child answers with a `reply` carrying the same id. */
export interface CallMessage {
  t: 'call';
  id: number;
  method: string;
}

export interface StopMessage {
  t: 'stop';
}

export type DriverMessage = CallMessage | StopMessage;

export interface ReadyMessage {
  t: 'ready';
  /** The API host's HTTP port. */
  port?: number;
}

/** An instrumented activity's first line ran: `key` names what it ran for, `at` is the child's clock. */
export interface MarkMessage {
  t: 'mark';
  key: string;
  at: number;
}

export interface ReplyMessage {
  t: 'reply';
  id: number;
  value?: unknown;
  error?: string;
}

export type ChildMessage = ReadyMessage | MarkMessage | ReplyMessage;

/** What a host reports about its process. */
export interface ProcessStats {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** Worker host only: workflows in each worker's cache. */
  cachedWorkflows?: { firebreak: number; baseline: number };
}
