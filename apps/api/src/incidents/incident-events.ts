import { HttpException, HttpStatus, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Config } from '../../../../core/schemas/config';
import type { IncidentSnapshot } from '../../../../core/model/incident';
import { IncidentStatus } from '../../../../core/model/incident-model';
import { MetricsService } from '../metrics/metrics.service';
import { CONFIG } from '../tokens';
import { IncidentsService } from './incidents.service';

/** A comment line keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

/** What a poll gives the subscribers of one incident: its snapshot, or the failure to read it. */
export type IncidentPoll = { incident: IncidentSnapshot } | { error: unknown };
type Listener = (poll: IncidentPoll) => void;

/** Entries dropped from the front of a bounded timeline: the index of `timeline[0]`. */
const timelineStartOf = (incident: IncidentSnapshot) => (incident as IncidentSnapshot & { timelineStart?: number }).timelineStart ?? 0;

/**
 * The incident event streams of this API process. Each watched incident has one poller,
 * shared by all its subscribers: it reads the incident once per `INCIDENT_EVENTS_POLL_MS`
 * and stops when its last subscriber leaves, so a thousand viewers of one incident cost one
 * query per poll, not a thousand. Streams are capped per API key and in total.
 */
@Injectable()
export class IncidentEventHub implements OnApplicationShutdown {
  private readonly watches = new Map<string, { listeners: Set<Listener>; timer?: NodeJS.Timeout; polling: boolean }>();
  private readonly perKey = new Map<string, number>();
  private open = 0;

  constructor(
    private readonly incidents: IncidentsService,
    private readonly metrics: MetricsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Incidents with a poller running now. */
  get watched(): number {
    return this.watches.size;
  }

  /**
   * Takes a stream slot for `keyName`; call the returned function once when the stream ends.
   * Past a cap: 429 with `Retry-After`.
   */
  admit(keyName: string, response: Response): () => void {
    const held = this.perKey.get(keyName) ?? 0;
    const refuse = (message: string) => {
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(KEEPALIVE_MS / 1000))));
      return new HttpException(message, HttpStatus.TOO_MANY_REQUESTS);
    };
    if (held >= this.config.incidentEventsMaxStreamsPerKey) {
      throw refuse(`key "${keyName}" already holds ${held} event streams (at most ${this.config.incidentEventsMaxStreamsPerKey}); close one first`);
    }
    if (this.open >= this.config.incidentEventsMaxStreams) {
      throw refuse(`this API already serves ${this.open} event streams (at most ${this.config.incidentEventsMaxStreams}); retry later`);
    }
    this.perKey.set(keyName, held + 1);
    this.open += 1;
    this.metrics.incidentEventStreams.set(this.open);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.perKey.get(keyName) ?? 1) - 1;
      if (now > 0) this.perKey.set(keyName, now);
      else this.perKey.delete(keyName);
      this.open -= 1;
      this.metrics.incidentEventStreams.set(this.open);
    };
  }

  /** Delivers every poll of incident `id` to `listener` until the returned function is called. */
  subscribe(id: string, listener: Listener): () => void {
    let watch = this.watches.get(id);
    if (!watch) {
      watch = { listeners: new Set(), polling: false };
      this.watches.set(id, watch);
      this.metrics.incidentEventPollers.set(this.watches.size);
      this.schedule(id);
    }
    watch.listeners.add(listener);
    return () => {
      const current = this.watches.get(id);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        clearTimeout(current.timer);
        this.watches.delete(id);
        this.metrics.incidentEventPollers.set(this.watches.size);
      }
    };
  }

  onApplicationShutdown(): void {
    for (const watch of this.watches.values()) clearTimeout(watch.timer);
    this.watches.clear();
  }

  private schedule(id: string): void {
    const watch = this.watches.get(id);
    if (!watch) return;
    watch.timer = setTimeout(() => void this.poll(id), this.config.incidentEventsPollMs);
  }

  private async poll(id: string): Promise<void> {
    const watch = this.watches.get(id);
    if (!watch || watch.polling) return;
    watch.polling = true;
    this.metrics.incidentEventPolls.inc();
    let result: IncidentPoll;
    try {
      result = { incident: await this.incidents.get(id) };
    } catch (error) {
      result = { error };
    }
    watch.polling = false;
    // The watch may have ended (or been replaced) while the read was in flight.
    if (this.watches.get(id) !== watch) return;
    for (const listener of [...watch.listeners]) listener(result);
    this.schedule(id);
  }
}

/**
 * Streams an incident's timeline as Server-Sent Events: every entry as `event: timeline`
 * with its global index as the event id (`timelineStart + i`, so `Last-Event-ID` resumes
 * even once older entries have left a bounded timeline), then `event: end` when the incident
 * closes. New entries come from the hub's shared poller of the incident.
 */
export async function streamTimeline(options: {
  request: Request;
  response: Response;
  first: IncidentSnapshot;
  subscribe: (listener: Listener) => () => void;
  pollMs: number;
}): Promise<void> {
  const { request, response, first, subscribe, pollMs } = options;
  const lastEventId = Number(request.headers['last-event-id']);
  let next = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId + 1 : 0;
  let lastWrite = Date.now();

  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.write(`retry: ${Math.max(1000, pollMs)}\n\n`);

  /** Writes what is new; true when the incident has closed and the stream is done. */
  const send = (incident: IncidentSnapshot): boolean => {
    const start = timelineStartOf(incident);
    if (next < start) {
      const dropped = start - next;
      response.write(`: ${dropped} earlier ${dropped === 1 ? 'entry is' : 'entries are'} no longer kept; see the incident record\n\n`);
      next = start;
    }
    for (; next < start + incident.timeline.length; next++) {
      response.write(`id: ${next}\nevent: timeline\ndata: ${JSON.stringify(incident.timeline[next - start])}\n\n`);
      lastWrite = Date.now();
    }
    if (incident.status === IncidentStatus.Closed) {
      response.write(`event: end\ndata: ${JSON.stringify({ status: incident.status })}\n\n`);
      return true;
    }
    return false;
  };

  if (send(first)) {
    response.end();
    return;
  }
  await new Promise<void>((resolve) => {
    let unsubscribe: (() => void) | undefined;
    const finish = () => {
      unsubscribe?.();
      unsubscribe = undefined;
      resolve();
    };
    request.on('close', finish);
    response.on('close', finish);
    unsubscribe = subscribe((poll) => {
      if ('incident' in poll) {
        if (send(poll.incident)) finish();
      } else {
        response.write(': incident not readable right now; retrying\n\n');
        lastWrite = Date.now();
      }
      if (Date.now() - lastWrite > KEEPALIVE_MS) {
        response.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
    });
    // The client may have gone before the subscription existed.
    if (response.destroyed || request.destroyed) finish();
  });
  response.end();
}
