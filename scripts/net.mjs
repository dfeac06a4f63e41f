// Ports for throw-away servers on 127.0.0.1.
import { createServer } from 'node:net';

/**
 * `count` distinct ports free right now: any the system picks, or, with `below`, ones from
 * 10000 up to `below` (the system's picks are above 32767, too large for some servers, such as
 * Temporal's membership table). All are held open until every one is found, so none repeats;
 * another process may still take one before its server binds.
 */
export async function freePorts(count, { host = '127.0.0.1', below } = {}) {
  const servers = [];
  const listen = (port) => {
    const server = createServer();
    return new Promise((listening, failed) => server.once('error', failed).listen(port, host, () => listening(server)));
  };
  try {
    for (let tries = 0; servers.length < count; tries++) {
      if (tries > count * 50) throw new Error(`found only ${servers.length} of ${count} free ports on ${host}`);
      const port = below ? 10_000 + Math.floor(Math.random() * (below - 10_000)) : 0;
      const server = await listen(port).catch(() => undefined);
      if (server) servers.push(server);
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((closed) => server.close(closed))));
  }
}

/** Polls `check` every `intervalMs` until it answers true; fails after `timeoutMs` saying `what`. */
export async function until(what, check, { timeoutMs = 60_000, intervalMs = 200, aborted = () => false } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (aborted()) throw new Error(`stopped while waiting for ${what}`);
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs / 1000}s`);
    await new Promise((next) => setTimeout(next, intervalMs));
  }
}
