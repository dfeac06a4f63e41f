import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { StatusIncident, StatusPageSnapshot } from '../core/schemas/capabilities/status-page';
import { STATUS_PAGE_BOUNDS as BOUNDS } from '../core/model/status-page-bounds';
import {
  type OpenStatusIncidentCommand,
  type SetComponentStatusCommand,
  type StatusPageWorkflowInput,
  type UpdateStatusIncidentCommand,
  openStatusIncidentUpdate,
  setComponentStatusUpdate,
  statusPageQuery,
  updateStatusIncidentUpdate,
} from '../core/model/status-page-messages';
import { compat, currentPaths } from './compat';
import { StatusPageBook } from './status-page-state';

const DEFAULT_HISTORY_LIMIT = 2_000;

/**
 * Firebreak's own public status page (the local status-page adapter): components, incidents
 * and their updates, changed by updates and read by query. One long-lived workflow per
 * deployment, started on demand by update-with-start (and by the API at boot); it continues
 * as new before its history grows large, carrying its state.
 *
 * Its state is bounded whatever is posted (see {@link BOUNDS} and {@link StatusPageBook}):
 * titles and messages are fitted, each incident keeps its newest updates and counts the
 * rest, unresolved incidents and known components are capped (past a cap, the command is
 * refused for good, never applied in part), and the whole state is held under a byte
 * budget, so continue-as-new always fits in one payload.
 */
export async function statusPageWorkflow(input: StatusPageWorkflowInput = {}): Promise<never> {
  // Runs started before the bounds continue as new on history length only, as they always did.
  const bounded = compat.statusPageBoundedState(currentPaths());
  const book = new StatusPageBook(input.state ?? { nextId: 1, components: {}, incidents: [], applied: [] });
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const now = () => new Date().toISOString();
  book.normalise();

  setHandler(openStatusIncidentUpdate, (command: OpenStatusIncidentCommand): StatusIncident => book.open(command, now()), {
    validator: (command: OpenStatusIncidentCommand) => book.checkOpen(command),
  });
  setHandler(updateStatusIncidentUpdate, (command: UpdateStatusIncidentCommand): void => book.update(command, now()), {
    validator: (command: UpdateStatusIncidentCommand) => book.checkUpdate(command),
  });
  setHandler(setComponentStatusUpdate, (command: SetComponentStatusCommand): void => book.setComponent(command, now()), {
    validator: (command: SetComponentStatusCommand) => book.checkSetComponent(command),
  });
  setHandler(statusPageQuery, (): StatusPageSnapshot => book.snapshot());

  await condition(
    () =>
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength >= historyLimit ||
      (bounded && workflowInfo().historySize >= BOUNDS.historyBytes),
  );
  await condition(allHandlersFinished);
  return continueAsNew<typeof statusPageWorkflow>({
    state: book.carried(),
    historyLimit: input.historyLimit,
  });
}
