import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { hasReached } from '../../core/model/incident/state-machine';
import { listingOf } from '../../core/model/incident/listing';
import { IncidentStatus } from '../../core/model/incident-model';
import { renderPostmortem } from '../../core/model/postmortem';
import { heldListingKey, incidentSearchAttributes, listingKey } from '../../core/model/search-attributes';
import { compat, type Publishing } from '../compat';
import type { IncidentRun } from './incident-run';

/**
 * Keeps the incident's search attributes current (the API lists incidents by them), the
 * postmortem written once resolved, and the state's size measured.
 */
export class Listing {
  /** Decided at the first publish. */
  private publishing: Publishing | undefined;
  /** The listing last published; re-publishing an equal one costs history and visibility writes. */
  private published: string | undefined;

  constructor(private readonly run: IncidentRun) {}

  publish(): void {
    const { run } = this;
    if (this.publishing === undefined) {
      this.publishing = compat.listedStartPublishing(run.paths, run.input.listed);
      if (this.publishing === 'held') this.published = heldListingKey(workflowInfo().typedSearchAttributes);
    }
    const listed = listingOf(run.incident);
    const values = listingKey(listed);
    if (this.publishing === 'always' || values !== this.published) upsertSearchAttributes(incidentSearchAttributes(listed));
    this.published = values;
    if (hasReached(run.incident.status, IncidentStatus.Resolved)) run.incident.postmortem = renderPostmortem(run.incident);
    run.stateBytes = run.measureState();
  }
}
