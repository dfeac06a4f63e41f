/**
 * The status page as HTML: one self-contained document, semantic and readable without
 * JavaScript or colour (every status is also said in words).
 */
import type {
  ComponentStatus,
  StatusPageIncident,
  StatusPageIncidentStatus,
  StatusPageSnapshot,
} from '../../../../core/schemas/capabilities/status-page';
import { escapeHtml as escape } from '../../../../core/model/text';

const COMPONENT_LABELS: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

const OVERALL_LABELS: Record<ComponentStatus, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Some systems are degraded',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Maintenance in progress',
};

const INCIDENT_LABELS: Record<StatusPageIncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

const time = (iso: string) =>
  `<time datetime="${escape(iso)}">${escape(iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time>`;

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:50rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}
.overall{padding:.75rem 1rem;border-radius:.5rem;font-weight:600;border:2px solid}
.operational{background:#e6f4ea;border-color:#1e7e34}.degraded_performance,.under_maintenance{background:#fff4e5;border-color:#b26a00}
.partial_outage{background:#fdecea;border-color:#c62828}.major_outage{background:#c62828;color:#fff;border-color:#8e0000}
ul.components{list-style:none;padding:0}ul.components li{display:flex;justify-content:space-between;padding:.5rem 0;border-bottom:1px solid #ddd}
article{border:1px solid #ddd;border-radius:.5rem;padding:0 1rem;margin:1rem 0}ol.updates{padding-left:1.25rem}
`;

function incident(item: StatusPageIncident): string {
  const affected = Object.entries(item.components);
  return `<article id="${escape(item.id)}" aria-labelledby="${escape(item.id)}-title">
<h3 id="${escape(item.id)}-title">${escape(item.title)}</h3>
<p>Status: <strong>${INCIDENT_LABELS[item.status]}</strong>. Started ${time(item.createdAt)}${
    item.resolvedAt ? `, resolved ${time(item.resolvedAt)}` : ''
  }.</p>
${
  affected.length
    ? `<p>Affected: ${affected.map(([name, status]) => `${escape(name)} (${COMPONENT_LABELS[status].toLowerCase()})`).join(', ')}</p>`
    : ''
}
<h4 class="visually-hidden">Updates</h4>
<ol class="updates" reversed start="${item.updates.length + item.earlierUpdates}">
${item.updates.map((update) => `<li><strong>${INCIDENT_LABELS[update.status]}</strong> — ${time(update.at)}<p>${escape(update.message)}</p></li>`).join('\n')}
</ol>${item.earlierUpdates > 0 ? `\n<p>${item.earlierUpdates} earlier ${item.earlierUpdates === 1 ? 'update' : 'updates'} not shown.</p>` : ''}
</article>`;
}

export function renderStatusPage(snapshot: StatusPageSnapshot, title = 'Service status'): string {
  const components = snapshot.components.length
    ? `<ul class="components">\n${snapshot.components
        .map((c) => `<li class="${c.status}"><span>${escape(c.name)}</span> <span>${COMPONENT_LABELS[c.status]}</span></li>`)
        .join('\n')}\n</ul>`
    : '<p>No components are reported yet.</p>';
  const active = snapshot.activeIncidents.length
    ? snapshot.activeIncidents.map(incident).join('\n')
    : '<p>No current incidents.</p>';
  const resolved = snapshot.resolvedIncidents.length
    ? snapshot.resolvedIncidents.map(incident).join('\n')
    : '<p>No incidents resolved recently.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}: ${OVERALL_LABELS[snapshot.overall]}</title>
<style>${STYLE}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style>
</head>
<body>
<header>
<h1>${escape(title)}</h1>
<p class="overall ${snapshot.overall}" role="status">${OVERALL_LABELS[snapshot.overall]}</p>
</header>
<main>
<section aria-labelledby="components-heading">
<h2 id="components-heading">Components</h2>
${components}
</section>
<section aria-labelledby="active-heading">
<h2 id="active-heading">Current incidents</h2>
${active}
</section>
<section aria-labelledby="resolved-heading">
<h2 id="resolved-heading">Recently resolved</h2>
${resolved}
</section>
</main>
<footer>
<p>${snapshot.updatedAt ? `Last updated ${time(snapshot.updatedAt)}.` : 'Nothing has been posted yet.'} Also as <a href="/status.json">JSON</a>.</p>
</footer>
</body>
</html>
`;
}

/** The page when its state cannot be known: says so plainly, and never shows a status. */
export function renderStatusUnknown(reason: string, title = 'Service status'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}: status unknown</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escape(title)}</h1>
<p class="overall under_maintenance" role="status">Status unknown</p>
</header>
<main>
<p>The current status cannot be shown: ${escape(reason)}. This does not mean that all systems are operational. Please try again in a few minutes.</p>
</main>
</body>
</html>
`;
}
