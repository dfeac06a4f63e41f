/**
 * The page a person sees when single sign-on does not sign them in: why, and the way back to
 * the sign-in page. Self-contained HTML, no script, every value escaped.
 */
import { escapeHtml as escape } from '../../../../core/model/text';

/** Nothing may load or run; no framing, no caching, no referrer (the callback's URL held a code). */
export const OIDC_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
} as const;

export function renderSignInRefused(heading: string, reason: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(heading)} · Firebreak</title>
</head>
<body>
<main>
<h1>${escape(heading)}</h1>
<p role="alert">${escape(reason)}</p>
<p><a href="/sign-in">Back to sign-in</a></p>
</main>
</body>
</html>
`;
}
