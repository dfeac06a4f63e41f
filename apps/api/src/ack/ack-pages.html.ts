/**
 * The pages a person sees on opening an acknowledgement link: self-contained HTML, readable
 * without JavaScript (none runs: the CSP allows none), every value escaped.
 */
import { createHash } from 'node:crypto';
import { escapeHtml as escape } from '../../../../core/model/text';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
button{font:inherit;font-weight:600;padding:.6rem 1.4rem;border-radius:.4rem;border:2px solid #8e0000;background:#c62828;color:#fff;cursor:pointer}
.note{padding:.75rem 1rem;border-radius:.5rem;border:2px solid #b26a00;background:#fff4e5}`;

/**
 * Headers of every ack page: nothing may load or run but the page's own style, forms post
 * only here, no framing, no caching (the URL is a credential), no referrer leaving with it.
 */
export const ACK_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
} as const;

/** What an ack page says about the incident. */
export interface AckPageIncident {
  id: string;
  title: string;
  severity: string;
  status: string;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const facts = (incident: AckPageIncident, person: string) => `<dl>
<dt>Incident</dt><dd>${escape(incident.title)}</dd>
<dt>Severity</dt><dd>${escape(incident.severity)}</dd>
<dt>Status</dt><dd>${escape(incident.status)}</dd>
<dt>Id</dt><dd>${escape(incident.id)}</dd>
<dt>Acknowledging as</dt><dd>${escape(person)}</dd>
</dl>`;

/** The confirmation a link opens: it changes nothing until the button posts the form. */
export function renderAckConfirm(incident: AckPageIncident, person: string, postPath: string): string {
  return page(
    `Acknowledge: ${incident.title}`,
    `<h1>Acknowledge this incident?</h1>
${facts(incident, person)}
<p>Acknowledging tells everyone you are on it and stops further notifications for this incident.</p>
<form method="post" action="${escape(postPath)}">
<button type="submit">Acknowledge as ${escape(person)}</button>
</form>`,
  );
}

export function renderAckDone(incident: AckPageIncident, person: string): string {
  return page(`Acknowledged: ${incident.title}`, `<h1>Acknowledged</h1>\n${facts(incident, person)}\n<p>Thank you. Further notifications for this incident have stopped.</p>`);
}

/** A refusal: nothing was changed, and the page says why. */
export function renderAckRefused(heading: string, reason: string, incident?: AckPageIncident, person?: string): string {
  return page(
    heading,
    `<h1>${escape(heading)}</h1>
<p class="note" role="status">${escape(reason)} Nothing was changed.</p>${incident && person ? `\n${facts(incident, person)}` : ''}`,
  );
}
