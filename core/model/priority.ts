export const LEVELS = ['high', 'medium', 'low'] as const;
export type Impact = (typeof LEVELS)[number];
export type Urgency = (typeof LEVELS)[number];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Priority by impact (rows) and urgency (columns). */
export type PriorityMatrix = Record<Impact, Record<Urgency, Priority>>;

/** The usual ITIL matrix: wide impact and urgent is P1, narrow and can-wait is P5. */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = {
  high: { high: 'P1', medium: 'P2', low: 'P3' },
  medium: { high: 'P2', medium: 'P3', low: 'P4' },
  low: { high: 'P3', medium: 'P4', low: 'P5' },
};

export function priorityFor(impact: Impact, urgency: Urgency, matrix: PriorityMatrix = DEFAULT_PRIORITY_MATRIX): Priority {
  // Own properties only, should an unchecked value ever reach here: an inherited name is not a level.
  const row = Object.hasOwn(matrix, impact) ? matrix[impact] : undefined;
  const priority = row && Object.hasOwn(row, urgency) ? row[urgency] : undefined;
  return priority ?? DEFAULT_PRIORITY_MATRIX.medium.medium;
}
