/**
 * Every migration, in order, by name. A static list (not a folder read at run time), so the
 * build compiles them with the code that needs them; a new migration is a new file and a
 * new line here, never an edit of an applied one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-incidents-and-executions';
import * as auditLog from './0002-audit-log';
import * as weeklyReportIndex from './0003-weekly-report-index';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-incidents-and-executions': initial,
  '0002-audit-log': auditLog,
  '0003-weekly-report-index': weeklyReportIndex,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};
