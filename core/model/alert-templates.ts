/**
 * A route's title and description templates: plain functions of the alert, written by the
 * operator in `runbooks/routes.ts` and run by the API before an incident starts (never in
 * workflow code). A template that throws, returns something other than text, or returns
 * only blanks falls back to the default text, and the incident's timeline says why.
 */
import type { Alert } from './alert';
import { ALERT_LIMITS } from './alert-bounds';
import { cleanLine, cleanText, truncateText } from './text';

/** A template reads the alert as routed (its service and severity decided) and returns text. */
export type AlertTemplate = (alert: Readonly<Alert>) => string;

export interface AlertTemplates {
  title?: AlertTemplate;
  description?: AlertTemplate;
}

/** What the templates made: a title always, a description when there is one, and notes for the timeline. */
export interface IncidentTexts {
  title: string;
  description?: string;
  notes: string[];
}

/** An incident's description, as a declared incident's `summary`: free text within this many bytes. */
export const DESCRIPTION_MAX_BYTES = 16_384;
const ERROR_BYTES = 300;

/**
 * The incident's title and description for `alert` under `route`'s templates: the title
 * one line within the alert summary's limit, the description text within
 * {@link DESCRIPTION_MAX_BYTES}. Without templates, the alert's summary is the title.
 */
export function incidentTexts(route: string, templates: AlertTemplates, alert: Alert): IncidentTexts {
  const notes: string[] = [];
  const view = frozenCopy(alert);
  const title = render(route, 'title', templates.title, view, notes);
  const description = render(route, 'description', templates.description, view, notes);
  return { title: title ?? alert.summary, ...(description === undefined ? {} : { description }), notes };
}

function render(route: string, what: 'title' | 'description', template: AlertTemplate | undefined, alert: Readonly<Alert>, notes: string[]): string | undefined {
  if (!template) return undefined;
  const fallback = what === 'title' ? "the alert's summary is the title" : 'the incident has no description';
  let value: unknown;
  try {
    value = template(alert);
  } catch (error) {
    const message = truncateText(cleanLine(error instanceof Error ? error.message : String(error)), ERROR_BYTES);
    notes.push(`The ${what} template of route ${route} failed (${message}); ${fallback}`);
    return undefined;
  }
  const text =
    typeof value !== 'string' ? undefined : what === 'title' ? truncateText(cleanLine(value), ALERT_LIMITS.summaryBytes) : truncateText(cleanText(value), DESCRIPTION_MAX_BYTES);
  if (text === undefined || text.trim() === '') {
    notes.push(`The ${what} template of route ${route} gave ${typeof value === 'string' ? 'no text' : `a ${value === null ? 'null' : typeof value}, not text`}; ${fallback}`);
    return undefined;
  }
  return text;
}

/** A copy the template cannot change: the routed alert goes on to the incident as it is. */
function frozenCopy(alert: Alert): Readonly<Alert> {
  const copy = structuredClone(alert);
  Object.freeze(copy.labels);
  Object.freeze(copy.annotations);
  if (copy.links) {
    copy.links.forEach((link) => Object.freeze(link));
    Object.freeze(copy.links);
  }
  return Object.freeze(copy);
}
