/**
 * Validation issues in words, for every place that reports a schema's refusal: the API's
 * 400 bodies, refused runbook launches, a workflow's update validators. Zod-free on purpose
 * (a zod issue fits {@link IssueLike}), so workflow code can import it.
 */

/** One broken rule: where (`path`, field names and array indices from the root) and what. */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export interface DescribeIssuesOptions {
  /**
   * Put before every path, e.g. `input.` when the value checked sits under `input`.
   * @default ''
   */
  readonly prefix?: string;
  /**
   * What an empty path (the value as a whole) reads as.
   * @default ''
   */
  readonly whole?: string;
}

/** The path of an issue as text: `a.b.0`, or `whole` for the value as a whole. */
export function issuePath(path: readonly PropertyKey[], whole = ''): string {
  return path.length ? path.map(String).join('.') : whole;
}

/**
 * The issues on one line, `path: message` each, `; ` between them:
 * `severity: Invalid option; labels.team: Required`.
 */
export function describeIssues(issues: readonly IssueLike[], options: DescribeIssuesOptions = {}): string {
  const { prefix = '', whole = '' } = options;
  return issues.map((issue) => `${prefix}${issuePath(issue.path, whole)}: ${issue.message}`).join('; ');
}
