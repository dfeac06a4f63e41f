/** Pieces of Temporal visibility queries (the SQL-like list filter). */

/** A string literal of a visibility query: quotes and backslashes escaped. */
export const visibilityLiteral = (value: string) => `'${value.replace(/[\\']/g, (char) => `\\${char}`)}'`;

/**
 * The clause that keeps a list to this deployment's workflows: its task queue. One namespace
 * may hold several deployments (staging beside production, or test runs), each on its own queue.
 */
export const onTaskQueue = (taskQueue: string) => `TaskQueue = ${visibilityLiteral(taskQueue)}`;
