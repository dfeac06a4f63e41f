import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { eventsUrl, keys, postmortemUrl, useExecutionPage, useIncident } from '../api/queries';
import { may, useSession } from '../api/session';
import type { IncidentAlert, IncidentSnapshot } from '../api/types';
import { Age, ErrorNotice, Facts, Loading, SeverityBadge, StatusBadge, Time, usePageTitle } from '../components/ui';
import { formatDuration, formatTime, safeHttpUrl } from '../lib/format';
import { useLiveTimeline, type IndexedEntry, type LiveState } from '../lib/live-timeline';
import { markReady } from '../lib/ready';
import { ExecutionTable } from './executions';
import { IncidentActions } from './incident-actions';

const Markdown = lazy(() => import('../components/markdown'));

/** One incident: its header, actions, live timeline, alerts, runbook executions and postmortem. */
export default function Incident() {
  const { id = '' } = useParams();
  const incident = useIncident(id);
  const session = useSession();
  const client = useQueryClient();
  usePageTitle(incident.data ? incident.data.title : id);
  const timeline = useLiveTimeline(eventsUrl(id), incident.data, () => void client.invalidateQueries({ queryKey: keys.incident(id) }));

  useEffect(() => {
    if (incident.data) markReady('incident');
  }, [incident.data]);

  if (incident.isPending) return <Loading what="the incident" />;
  if (incident.isError) {
    return (
      <>
        <h1>Incident {id}</h1>
        <ErrorNotice error={incident.error} title="The incident could not be read" />
        <p>
          <Link to="/incidents">Back to the incidents</Link>
        </p>
      </>
    );
  }
  const data = incident.data;
  return (
    <>
      <IncidentHeader incident={data} />
      {session.data && may(session.data, 'incident.acknowledge') && data.status !== 'closed' ? <IncidentActions incident={data} role={session.data.role} /> : null}
      <Timeline entries={timeline.entries} state={timeline.state} dropped={data.timelineStart ?? 0} />
      <Alerts incident={data} />
      <Executions incident={data} canLaunch={may(session.data, 'runbook.launch') && data.status !== 'closed'} />
      <ActionItems incident={data} />
      <Postmortem incident={data} />
    </>
  );
}

function IncidentHeader({ incident }: { incident: IncidentSnapshot }) {
  const { roles, escalation, metrics } = incident;
  const escalationText =
    escalation.state === 'paging'
      ? `paging level ${escalation.level + 1}${escalation.round ? `, round ${escalation.round + 1}` : ''}${escalation.nextAt ? `; next level ${formatTime(escalation.nextAt)}` : ''}`
      : `${escalation.state}${escalation.policy ? ` (${escalation.policy})` : ''}, ${escalation.pages} ${escalation.pages === 1 ? 'page' : 'pages'}`;
  return (
    <section aria-labelledby="incident-title" className="incident-head">
      <p className="muted">
        <Link to="/incidents">Incidents</Link> / <span>{incident.id}</span>
      </p>
      <h1 id="incident-title">
        <SeverityBadge severity={incident.severity} /> {incident.title}
      </h1>
      {incident.summary ? <p>{incident.summary}</p> : null}
      <Facts
        label="About this incident"
        items={[
          ['Status', <StatusBadge key="status" status={incident.status} />],
          ['Severity', incident.severity],
          ['Priority', incident.priority ?? '—'],
          ['Service', incident.service ?? '—'],
          ['Opened', <Age key="age" at={incident.openedAt} />],
          ['Opened by', incident.openedBy],
          ['Commander', roles.commander ?? '—'],
          ['Communications', roles.communications ?? '—'],
          ['Scribe', roles.scribe ?? '—'],
          ['Investigators', roles.investigators.length ? roles.investigators.join(', ') : '—'],
          ['Escalation', escalationText],
          ['Alerts', `${incident.firingAlerts} firing of ${incident.alertCount}`],
          ['Time to acknowledge', metrics.timeToAcknowledgeSeconds === undefined ? '—' : formatDuration(metrics.timeToAcknowledgeSeconds)],
          ['Time to resolve', metrics.timeToResolveSeconds === undefined ? '—' : formatDuration(metrics.timeToResolveSeconds)],
          ...(incident.statusPage
            ? ([
                [
                  'Status page',
                  safeHttpUrl(incident.statusPage.url) ? (
                    <a key="sp" href={safeHttpUrl(incident.statusPage.url)} target="_blank" rel="noreferrer noopener">
                      {incident.statusPage.status ?? 'open'} (opens in a new tab)
                    </a>
                  ) : (
                    (incident.statusPage.status ?? 'open')
                  ),
                ],
              ] as Array<[string, ReactNode]>)
            : []),
        ]}
      />
    </section>
  );
}

const LIVE_WORDS: Record<LiveState, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  ended: 'the incident is closed',
  polling: 'refreshing every few seconds',
};

function Timeline({ entries, state, dropped }: { entries: IndexedEntry[]; state: LiveState; dropped: number }) {
  return (
    <section aria-labelledby="timeline-heading" className="panel">
      <h2 id="timeline-heading">Timeline</h2>
      <p className="muted" role="status">
        Newest first; {LIVE_WORDS[state]}.
        {dropped > 0 ? ` ${dropped} earlier entries are in the incident's record and postmortem.` : ''}
      </p>
      {entries.length === 0 ? (
        <p className="empty">Nothing yet.</p>
      ) : (
        // It scrolls on its own: focusable, so a keyboard can scroll it too.
        <ol className="timeline" aria-label="Timeline entries" reversed tabIndex={0}>
          {entries.map((entry) => (
            <li key={entry.index} className={`entry entry-${entry.kind}`}>
              <span className="entry-kind">{entry.kind}</span>
              <span className="entry-summary">{entry.summary}</span>
              <span className="entry-meta">
                {entry.actor} · <Time at={entry.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Names a link by what it is: the rule that fired, its dashboard, a silence, a runbook. */
const LINK_LABELS: Record<string, string> = {
  generator: 'source',
  external: 'alerting',
  dashboard: 'dashboard',
  panel: 'panel',
  silence: 'silence',
  image: 'image',
  runbook: 'runbook',
  link: 'link',
};

/**
 * The alert's links (the rule that fired, Grafana's dashboard, panel, silence and image,
 * the sender's own), then annotation values that are links; http(s) only, each once.
 */
function linksOf(alert: IncidentAlert): Array<{ label: string; href: string }> {
  const links: Array<{ label: string; href: string }> = [];
  const add = (label: string, url: string | undefined) => {
    const href = safeHttpUrl(url);
    if (href && !links.some((link) => link.href === href)) links.push({ label, href });
  };
  for (const link of alert.links ?? []) add(link.text ?? LINK_LABELS[link.kind] ?? link.kind, link.url);
  add('source', alert.externalUrl);
  for (const [name, value] of Object.entries(alert.annotations)) add(name, value);
  return links;
}

function Alerts({ incident }: { incident: IncidentSnapshot }) {
  return (
    <section aria-labelledby="alerts-heading" className="panel">
      <h2 id="alerts-heading">Alerts</h2>
      <p className="muted">
        {incident.alertCount} received, {incident.firingAlerts} firing{incident.alertCount > incident.alerts.length ? `; the newest ${incident.alerts.length} shown` : ''}.
      </p>
      {incident.alerts.length === 0 ? (
        <p className="empty">No alerts: this incident was declared.</p>
      ) : (
        <ul className="alerts">
          {[...incident.alerts].reverse().map((alert) => (
            <li key={alert.receiptId} className="alert">
              <p>
                <span className={`badge alert-${alert.status}`}>{alert.status}</span> <strong>{alert.summary}</strong>{' '}
                <span className="muted">
                  from {alert.source}, <Age at={alert.receivedAt} />
                </span>
              </p>
              {Object.keys(alert.labels).length ? (
                <ul className="labels" aria-label="Labels">
                  {Object.entries(alert.labels).map(([name, value]) => (
                    <li key={name}>
                      <code>
                        {name}={value}
                      </code>
                    </li>
                  ))}
                </ul>
              ) : null}
              {linksOf(alert).length ? (
                <ul className="links" aria-label="Links">
                  {linksOf(alert).map((link) => (
                    <li key={link.href}>
                      <a href={link.href} target="_blank" rel="noreferrer noopener">
                        {link.label}
                        <span className="visually-hidden"> (opens in a new tab)</span>
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Executions({ incident, canLaunch }: { incident: IncidentSnapshot; canLaunch: boolean }) {
  // Every execution attached to the incident (its alerts', its route's and people's), newest first.
  const attached = useExecutionPage({ incidentId: incident.id, limit: 20 });
  const listed = new Set(attached.data?.executions.map((execution) => execution.id));
  // Started by the incident moments ago: in its snapshot before the listing has it.
  const unlisted = incident.runbooks.filter((run) => attached.data && !listed.has(run.executionId));
  return (
    <section aria-labelledby="executions-heading" className="panel">
      <h2 id="executions-heading">Runbook executions</h2>
      <ErrorNotice error={attached.error} title="Executions could not be read" />
      {attached.data ? (
        <ExecutionTable rows={attached.data.executions} caption="Runbook executions for this incident, newest first" empty="No runbook has run for this incident." />
      ) : attached.isPending ? (
        <Loading what="executions" />
      ) : null}
      {unlisted.length ? (
        <ul>
          {unlisted.map((run) => (
            <li key={run.executionId}>
              <Link to={`/executions/${run.executionId}`}>{run.runbookId}</Link> <span className="muted">({run.trigger}, <Age at={run.startedAt} />)</span>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        {attached.data?.nextCursor ? (
          <Link to={`/executions?incidentId=${encodeURIComponent(incident.id)}`}>Every execution attached to this incident</Link>
        ) : null}
        {attached.data?.nextCursor && canLaunch ? ' · ' : null}
        {canLaunch ? <Link to={`/runbooks?incidentId=${encodeURIComponent(incident.id)}`}>Run a runbook for it</Link> : null}
      </p>
    </section>
  );
}

function ActionItems({ incident }: { incident: IncidentSnapshot }) {
  if (incident.actionItems.length === 0) return null;
  return (
    <section aria-labelledby="items-heading" className="panel">
      <h2 id="items-heading">Action items</h2>
      <ul>
        {incident.actionItems.map((item) => (
          <li key={item.id}>
            {item.title}
            {item.owner ? <span className="muted"> ({item.owner})</span> : null}
            {item.ticket && safeHttpUrl(item.ticket.url) ? (
              <>
                {' '}
                <a href={safeHttpUrl(item.ticket.url)} target="_blank" rel="noreferrer noopener">
                  {item.ticket.key}
                </a>
              </>
            ) : item.ticket ? (
              ` ${item.ticket.key}`
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Postmortem({ incident }: { incident: IncidentSnapshot }) {
  return (
    <section aria-labelledby="postmortem-heading" className="panel">
      <h2 id="postmortem-heading">Postmortem</h2>
      {incident.postmortem ? (
        <>
          <p>
            <a href={postmortemUrl(incident.id)} download={`${incident.id}-postmortem.md`}>
              Download the postmortem (Markdown)
            </a>
          </p>
          <Suspense fallback={<Loading what="the postmortem" />}>
            <Markdown text={incident.postmortem} label="Postmortem" headingLevel={3} />
          </Suspense>
        </>
      ) : (
        <p className="empty">Written when the incident resolves.</p>
      )}
    </section>
  );
}
