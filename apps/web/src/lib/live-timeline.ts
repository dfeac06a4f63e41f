import { useEffect, useMemo, useRef, useState } from 'react';
import type { IncidentSnapshot, TimelineEntry } from '../api/types';

export type IndexedEntry = TimelineEntry & { index: number };

/**
 * `connecting` until the stream opens; `live` while it runs; `reconnecting` while the
 * browser retries (it resumes after the last entry it saw); `ended` once the incident
 * closed; `polling` when the stream was refused (the incident is read every few seconds).
 */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'polling';

/** Entries held by the page at most; older ones are in the incident's record and postmortem. */
export const TIMELINE_HELD = 1_000;

/**
 * An incident's timeline, live: the snapshot's entries plus every entry the API's event
 * stream (`GET /v1/incidents/:id/events`) sends, by their stable index. `onNews` is called
 * (at most once a second) when entries arrive, to read the incident's header again.
 */
export function useLiveTimeline(
  eventsUrl: string,
  snapshot: IncidentSnapshot | undefined,
  onNews: () => void,
): { entries: IndexedEntry[]; state: LiveState } {
  const [streamed, setStreamed] = useState<ReadonlyMap<number, TimelineEntry>>(new Map());
  const [state, setState] = useState<LiveState>('connecting');
  const news = useRef(onNews);
  news.current = onNews;

  useEffect(() => {
    setStreamed(new Map());
    setState('connecting');
    const source = new EventSource(eventsUrl);
    let pending: ReturnType<typeof setTimeout> | undefined;
    const tell = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        news.current();
      }, 1_000);
    };
    source.onopen = () => setState('live');
    source.addEventListener('timeline', (event) => {
      const index = Number(event.lastEventId);
      if (!Number.isInteger(index)) return;
      const entry = JSON.parse(event.data as string) as TimelineEntry;
      setStreamed((held) => {
        if (held.has(index)) return held;
        const next = new Map(held).set(index, entry);
        for (const old of next.keys()) {
          if (next.size <= TIMELINE_HELD) break;
          next.delete(old);
        }
        return next;
      });
      tell();
    });
    source.addEventListener('end', () => {
      source.close();
      setState('ended');
      tell();
    });
    source.onerror = () => {
      // CLOSED: the API refused the stream (too many streams, signed out): fall back to polling.
      setState(source.readyState === EventSource.CLOSED ? 'polling' : 'reconnecting');
    };
    return () => {
      clearTimeout(pending);
      source.close();
    };
  }, [eventsUrl]);

  const entries = useMemo(() => {
    const all = new Map<number, TimelineEntry>();
    const start = snapshot?.timelineStart ?? 0;
    snapshot?.timeline.forEach((entry, offset) => all.set(start + offset, entry));
    for (const [index, entry] of streamed) all.set(index, entry);
    return [...all]
      .map(([index, entry]) => ({ ...entry, index }))
      .sort((a, b) => b.index - a.index)
      .slice(0, TIMELINE_HELD);
  }, [snapshot, streamed]);

  return { entries, state };
}
