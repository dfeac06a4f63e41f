import type { Alert } from './alert';
import { ownValue } from './own';

/** A label must equal the string, or match the regular expression (anchor it yourself). */
export type LabelMatcher = string | RegExp;

/** Whether every matcher holds for the alert's labels; `source` matches the alert source. */
export function matchesLabels(match: Record<string, LabelMatcher>, alert: Pick<Alert, 'labels' | 'source'>): boolean {
  const values: Record<string, string | undefined> = { ...alert.labels, source: alert.source };
  return Object.entries(match).every(([label, matcher]) => {
    // Own properties only: a matcher on `constructor` must not match what every object inherits.
    const value = ownValue(values, label);
    if (value === undefined) return false;
    return typeof matcher === 'string' ? value === matcher : matcher.test(value);
  });
}
