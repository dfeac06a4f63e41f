/** `firebreak incidents …`: list, read, declare, act on and follow incidents. */
import { Option, type Command } from 'commander';
import { sleep } from '../api-client';
import type { Incident, IncidentActionResult, IncidentPage, TimelineEntry } from '../api-types';
import { action, type Cli } from '../cli';
import { ApiError, CliError } from '../errors';
import { age, printable, severityColour, statusColour, time, type Output } from '../output';
import { readEvents } from '../sse';

export const SEVERITIES = ['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4'];
export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'];
const ROLES = ['commander', 'communications', 'scribe', 'investigator'];
const LEVELS = ['low', 'medium', 'high'];
/** Entries `incidents show` prints; `tail` and `-o json` have them all. */
const SHOWN_ENTRIES = 15;
/** Times in a row `tail` reconnects to a stream that keeps failing before it gives up. */
const TAIL_RECONNECTS = 5;

const incidentPath = (id: string) => `/v1/incidents/${encodeURIComponent(id)}`;

export function registerIncidentCommands(program: Command): void {
  const incidents = program.command('incidents').alias('incident').description('list, declare, act on and follow incidents');

  incidents
    .command('ls')
    .description('list incidents, newest first')
    .addOption(new Option('--status <status>').choices(INCIDENT_STATUSES))
    .addOption(new Option('--severity <severity>').choices(SEVERITIES))
    .option('--service <name>')
    .option('--commander <name>')
    .option('--limit <n>', 'at most this many (1-500)', '50')
    .option('--page-token <token>', 'the next page, as the last listing said')
    .action(
      action<{ status?: string; severity?: string; service?: string; commander?: string; limit: string; pageToken?: string }>(async (cli, options) => {
        const page = await cli.api.get<IncidentPage>('/v1/incidents', {
          status: options.status,
          severity: options.severity,
          service: options.service,
          commander: options.commander,
          pageSize: options.limit,
          pageToken: options.pageToken,
        });
        if (cli.out.json) return cli.out.data(page);
        if (page.incidents.length === 0) cli.out.note('no incidents');
        else {
          cli.out.table(
            ['id', 'sev', 'status', 'title', 'service', 'commander', 'age'],
            page.incidents.map((incident) => [
              incident.id,
              incident.severity,
              incident.status,
              incident.title,
              incident.service,
              incident.commander,
              age(incident.openedAt),
            ]),
            { 1: severityColour, 2: statusColour },
          );
        }
        if (page.nextPageToken) cli.out.note(`more: firebreak incidents ls --page-token ${page.nextPageToken}`);
      }),
    );

  incidents
    .command('show')
    .description('an incident: status, roles, alerts, escalation and its latest timeline')
    .argument('<id>')
    .action(
      action(async (cli, _options, [id]) => {
        const incident = await cli.api.get<Incident>(incidentPath(id as string));
        if (cli.out.json) return cli.out.data(incident);
        showIncident(cli.out, incident);
      }),
    );

  incidents
    .command('declare')
    .description('declare an incident')
    .requiredOption('--title <title>', 'one line')
    .addOption(new Option('--severity <severity>').choices(SEVERITIES).makeOptionMandatory())
    .option('--service <name>')
    .option('--commander <name>', 'the incident commander')
    .option('--summary <text>', 'what is known so far')
    .addOption(new Option('--impact <level>', 'with --urgency, sets the priority').choices(LEVELS))
    .addOption(new Option('--urgency <level>').choices(LEVELS))
    .action(
      action<Record<string, string | undefined>>(async (cli, options) => {
        const { id } = await cli.api.post<{ id: string }>('/v1/incidents', {
          title: options.title,
          severity: options.severity,
          service: options.service,
          commander: options.commander,
          summary: options.summary,
          impact: options.impact,
          urgency: options.urgency,
        });
        if (cli.out.json) cli.out.data({ id });
        else cli.out.line(`declared ${id}`);
      }),
    );

  const transitions: Array<[verb: string, apiAction: string, description: string]> = [
    ['ack', 'acknowledge', 'acknowledge: stops escalation'],
    ['mitigate', 'mitigate', 'mark mitigated: the impact has stopped'],
    ['resolve', 'resolve', 'resolve: writes the postmortem'],
    ['close', 'close', 'close: files action items as tickets; the incident takes no more commands'],
  ];
  for (const [verb, apiAction, description] of transitions) {
    incidents
      .command(verb)
      .description(description)
      .argument('<id>')
      .option('--note <text>', 'a note recorded with it')
      .action(action<{ note?: string }>((cli, options, [id]) => act(cli, id as string, { action: apiAction, note: options.note })));
  }

  incidents
    .command('reopen')
    .description('take a resolved incident back to investigating')
    .argument('<id>')
    .requiredOption('--reason <text>', 'why')
    .action(action<{ reason: string }>((cli, options, [id]) => act(cli, id as string, { action: 'reopen', reason: options.reason })));

  incidents
    .command('note')
    .description('add a note to the timeline')
    .argument('<id>')
    .argument('<text...>', 'the note; words are joined with spaces')
    .action(action((cli, _options, [id, words]) => act(cli, id as string, { action: 'add-note', text: (words as string[]).join(' ') })));

  incidents
    .command('assign')
    .description('give a role to someone (investigators are a list: --remove takes one off)')
    .argument('<id>')
    .addOption(new Option('--role <role>').choices(ROLES).makeOptionMandatory())
    .requiredOption('--to <name>', 'who takes the role')
    .option('--remove', 'take the role away instead')
    .action(
      action<{ role: string; to: string; remove?: boolean }>((cli, options, [id]) =>
        act(cli, id as string, { action: 'assign-role', role: options.role, assignee: options.to, remove: options.remove ?? false }),
      ),
    );

  incidents
    .command('tail')
    .description('follow the timeline live (Server-Sent Events) until the incident closes or Ctrl-C')
    .argument('<id>')
    .action(action((cli, _options, [id]) => tail(cli, id as string)));

  incidents
    .command('postmortem')
    .description('the postmortem as Markdown (written when the incident resolves)')
    .argument('<id>')
    .action(
      action(async (cli, _options, [id]) => {
        const markdown = await cli.api.text(`${incidentPath(id as string)}/postmortem`);
        if (cli.out.json) cli.out.data({ incidentId: id, markdown });
        else process.stdout.write(markdown.endsWith('\n') ? markdown : `${markdown}\n`);
      }),
    );
}

/** One incident action; a retry of it (the CLI's own, on a lost answer) applies once. */
async function act(cli: Cli, id: string, body: Record<string, unknown>): Promise<void> {
  const result = await cli.api.post<IncidentActionResult>(`${incidentPath(id)}/actions`, body, { idempotent: true });
  if (cli.out.json) return cli.out.data(result);
  cli.out.line(`${result.incidentId}: ${cli.out.paint(result.status, statusColour(result.status))} (${result.severity})`);
}

function showIncident(out: Output, incident: Incident): void {
  out.line(`${out.paint(incident.id, 'bold')}  ${printable(incident.title)}`);
  const roles = incident.roles;
  out.fields([
    ['status', out.paint(incident.status, statusColour(incident.status))],
    ['severity', `${out.paint(incident.severity, severityColour(incident.severity))}${incident.priority ? ` (${incident.priority})` : ''}`],
    ['service', incident.service],
    ['opened', `${time(incident.openedAt)} by ${incident.openedBy}`],
    ['acknowledged', time(incident.acknowledgedAt)],
    ['mitigated', time(incident.mitigatedAt)],
    ['resolved', time(incident.resolvedAt)],
    ['closed', time(incident.closedAt)],
    ['commander', roles.commander],
    ['communications', roles.communications],
    ['scribe', roles.scribe],
    ['investigators', roles.investigators.join(', ')],
    ['alerts', incident.alertCount > 0 ? `${incident.alertCount} (${incident.firingAlerts} firing)` : undefined],
    ['escalation', incident.escalation.policy ? `${incident.escalation.policy}: ${incident.escalation.state}, level ${incident.escalation.level + 1}` : undefined],
    ['status page', incident.statusPage ? `${incident.statusPage.status ?? 'open'}${incident.statusPage.url ? ` ${incident.statusPage.url}` : ''}` : undefined],
    ['summary', incident.summary],
  ]);
  const links = newestLinks(incident);
  if (links.length > 0) {
    out.line();
    out.table(['link', 'url'], links.map((link) => [printable(link.text ?? link.kind), printable(link.url)]));
  }
  if (incident.runbooks.length > 0) {
    out.line();
    out.table(['runbook', 'execution', 'trigger', 'started'], incident.runbooks.map((run) => [run.runbookId, run.executionId, run.trigger, time(run.startedAt)]));
  }
  if (incident.actionItems.length > 0) {
    out.line();
    out.table(['action item', 'owner', 'ticket'], incident.actionItems.map((item) => [item.title, item.owner, item.ticket?.key]));
  }
  const start = incident.timelineStart ?? 0;
  const total = start + incident.timeline.length;
  const shown = incident.timeline.slice(-SHOWN_ENTRIES);
  out.line();
  out.line(out.paint(`Timeline (${shown.length === total ? `${total} entries` : `the last ${shown.length} of ${total}; firebreak incidents tail ${incident.id} prints all kept`}):`, 'dim'));
  for (const entry of shown) out.line(entryLine(out, entry));
}

/** The links of the newest alert that has any: its source, dashboard, silence, runbook. */
function newestLinks(incident: Incident): Array<{ kind: string; url: string; text?: string }> {
  for (const alert of [...(incident.alerts ?? [])].reverse()) {
    const links = alert.links ?? (alert.externalUrl ? [{ kind: 'source', url: alert.externalUrl }] : []);
    if (links.length > 0) return links;
  }
  return [];
}

function entryLine(out: Output, entry: TimelineEntry): string {
  return `${out.paint(time(entry.at) ?? '', 'dim')}  ${out.paint(entry.kind.padEnd(13), 'cyan')}  ${printable(entry.actor)}: ${printable(entry.summary)}`;
}

/**
 * Prints the timeline, then each new entry as it is recorded, until the incident closes.
 * A dropped stream is resumed after the last entry printed (`Last-Event-ID`).
 */
async function tail(cli: Cli, id: string): Promise<void> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let lastEventId: string | undefined;
  let retryMs = 1000;
  let failures = 0;
  while (!controller.signal.aborted) {
    let lost: string;
    try {
      const stream = await cli.api.stream(`${incidentPath(id)}/events`, lastEventId, controller.signal);
      for await (const event of readEvents(stream)) {
        failures = 0;
        if (event.retry !== undefined) retryMs = event.retry;
        if (event.event === 'timeline') {
          if (event.id !== undefined) lastEventId = event.id;
          const entry = JSON.parse(event.data) as TimelineEntry;
          if (cli.out.json) cli.out.data({ index: Number(event.id), ...entry }, true);
          else cli.out.line(entryLine(cli.out, entry));
        } else if (event.event === 'end') {
          if (!cli.out.json) cli.out.note(`${id} is closed`);
          return;
        }
      }
      lost = 'the API ended the stream';
    } catch (error) {
      if (controller.signal.aborted) return;
      // Refusals and a missing incident end it; a lost connection or a busy API is retried.
      const transient = !(error instanceof ApiError) || error.status === 429 || error.status >= 500;
      if (!transient) throw error;
      if (error instanceof ApiError && error.retryAfterSeconds !== undefined) retryMs = error.retryAfterSeconds * 1000;
      lost = (error as Error).message;
    }
    if (++failures > TAIL_RECONNECTS) throw new CliError(`lost the event stream ${TAIL_RECONNECTS + 1} times in a row: ${lost}`);
    cli.out.note(`stream interrupted (${lost}); reconnecting`);
    await sleep(Math.min(retryMs, 30_000));
  }
}
