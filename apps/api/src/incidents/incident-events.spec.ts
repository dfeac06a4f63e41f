import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import type { IncidentSnapshot } from '../../../../core/model/incident';
import { IncidentStatus } from '../../../../core/model/incident-model';
import { type IncidentPoll, streamTimeline } from './incident-events';

/** A response that records what is written, and a request that can be closed. */
function fakeStream(lastEventId?: string) {
  const request = Object.assign(new EventEmitter(), { headers: lastEventId ? { 'last-event-id': lastEventId } : {}, destroyed: false });
  const written: string[] = [];
  const response = Object.assign(new EventEmitter(), {
    destroyed: false,
    writeHead: () => response,
    write: (chunk: string) => written.push(chunk),
    end: () => undefined,
  });
  return { request: request as unknown as Request, response: response as unknown as Response, written };
}

const incident = (timelineStart: number, summaries: string[], status: IncidentStatus = IncidentStatus.Investigating) =>
  ({ status, timelineStart, timeline: summaries.map((summary) => ({ kind: 'note', summary })) }) as unknown as IncidentSnapshot;

describe('streamTimeline', () => {
  it('numbers events by their index in the whole timeline, so Last-Event-ID resumes once older entries are dropped', async () => {
    const { request, response, written } = fakeStream('41');
    let deliver: (poll: IncidentPoll) => void = () => undefined;
    const done = streamTimeline({
      request,
      response,
      // Entries 40..42 are kept; 0..39 were dropped from the bounded timeline.
      first: incident(40, ['e40', 'e41', 'e42']),
      subscribe: (listener) => {
        deliver = listener;
        return () => undefined;
      },
      pollMs: 1000,
    });
    deliver({ incident: incident(42, ['e42', 'e43']) });
    deliver({ incident: incident(45, ['e45'], IncidentStatus.Closed) });
    await done;
    const ids = written.flatMap((chunk) => [...chunk.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1])));
    expect(ids).toEqual([42, 43, 45]);
    expect(written.join('')).toContain('"summary":"e43"');
    expect(written.join('')).toContain(': 1 earlier entry is no longer kept');
    expect(written.at(-1)).toMatch(/^event: end/);
  });
});
