/** The child side of the driver's IPC channel: answers calls, forwards marks, stops on request. */
import { now } from '../lib/clock';
import type { ChildMessage, DriverMessage, ProcessStats } from '../lib/ipc';

export function send(message: ChildMessage): void {
  process.send?.(message);
}

/** A {@link ProcessStats} of this process, after a full garbage collection when `--expose-gc` is on. */
export function processStats(extra: Partial<ProcessStats> = {}): ProcessStats {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  return {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    externalBytes: memory.external,
    ...extra,
  };
}

/**
 * Serves the driver: `clock` and `stats` always, plus `methods`. `stop` runs on the driver's
 * request or when the driver goes away, then the process exits.
 */
export function serve(methods: Record<string, () => unknown>, stop: () => Promise<void>): void {
  if (!process.send) throw new Error('a bench host runs as a child of the bench driver (IPC channel required)');
  const handlers: Record<string, () => unknown> = { clock: now, stats: () => processStats(), ...methods };
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await stop();
    } catch (error) {
      console.error('bench host: stopping failed:', error);
      code = 1;
    }
    process.exit(code);
  };
  process.on('message', (message: DriverMessage) => {
    if (message.t === 'stop') {
      void shutdown(0);
      return;
    }
    const handler = handlers[message.method];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no method ${message.method}`);
        return handler();
      })
      .then(
        (value) => send({ t: 'reply', id: message.id, value }),
        (error: unknown) => send({ t: 'reply', id: message.id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  // The driver died: do not linger.
  process.on('disconnect', () => void shutdown(1));
  process.on('SIGINT', () => void shutdown(130));
  process.on('SIGTERM', () => void shutdown(143));
}
