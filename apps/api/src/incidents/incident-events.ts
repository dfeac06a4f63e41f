import type { Request, Response } from 'express';
import type { IncidentSnapshot } from '../../../../core/incident';
import { IncidentStatus } from '../../../../core/incident-model';

/** A comment line keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

/**
 * Streams an incident's timeline as Server-Sent Events: every entry as `event: timeline`
 * with its index as the event id (so `Last-Event-ID` resumes), then `event: end` when the
 * incident closes. New entries are found by querying the workflow every `pollMs`.
 */
export async function streamTimeline(options: {
  request: Request;
  response: Response;
  first: IncidentSnapshot;
  read: () => Promise<IncidentSnapshot>;
  pollMs: number;
}): Promise<void> {
  const { request, response, first, read, pollMs } = options;
  const lastEventId = Number(request.headers['last-event-id']);
  let next = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId + 1 : 0;
  let open = true;
  let lastWrite = Date.now();
  request.on('close', () => {
    open = false;
  });

  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.write(`retry: ${Math.max(1000, pollMs)}\n\n`);

  const send = (incident: IncidentSnapshot) => {
    for (; next < incident.timeline.length; next++) {
      response.write(`id: ${next}\nevent: timeline\ndata: ${JSON.stringify(incident.timeline[next])}\n\n`);
      lastWrite = Date.now();
    }
    if (incident.status === IncidentStatus.Closed) {
      response.write(`event: end\ndata: ${JSON.stringify({ status: incident.status })}\n\n`);
      open = false;
    }
  };

  send(first);
  while (open) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (!open) break;
    try {
      send(await read());
    } catch {
      response.write(': incident not readable right now; retrying\n\n');
      lastWrite = Date.now();
    }
    if (open && Date.now() - lastWrite > KEEPALIVE_MS) {
      response.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
  }
  response.end();
}
