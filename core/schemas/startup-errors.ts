import { ConfigError } from './config';
import { OperatorConfigError } from './operator-config';
import { RunbookCatalogError } from '../model/runbook-catalog';
import { CapabilityCatalogError } from './custom-capabilities';

/**
 * What a process prints when it cannot start: an operator's mistake (a setting, a file in
 * `runbooks/`) as its message alone, anything else in full.
 */
export function describeStartupFailure(error: unknown): unknown {
  const operatorMistake =
    error instanceof ConfigError || error instanceof OperatorConfigError || error instanceof RunbookCatalogError || error instanceof CapabilityCatalogError;
  return operatorMistake ? error.message : error;
}
