import { condition, log } from '@temporalio/workflow';
import type { CarriedIncidentState, OpenIncidentInput } from '../../core/model/incident';
import { IncidentStatus } from '../../core/model/incident-model';
import { shortHash } from '../../core/model/text';
import { incidentRecordInput, nextTimelineSeq } from '../../record/projection';
import { recordIncident, RecordWriter } from '../record-writer';
import { failureMessage, type IncidentRun } from './incident-run';
import { compat } from '../compat';

/**
 * What an incident carries through continue-as-new for its record, beside its state: the
 * number of the first timeline entry not known to be written, and a hash of the postmortem
 * last written. A write the run before left in flight is sent again from the entries still
 * in the window.
 */
export type CarriedWithRecord = CarriedIncidentState & { recordedThrough?: number; postmortemSent?: string };

/**
 * The incident's projection into the lasting record: after every change to the incident
 * (a handler, a timer, an activity's outcome), one write of everything since the last write
 * that succeeded, in the background (record-writer.ts).
 */
export class IncidentProjection {
  /** The number of the first timeline entry not known to be written. */
  recordedThrough: number;
  /** {@link shortHash} of the postmortem last written. */
  postmortemSent: string | undefined;
  private readonly writer: RecordWriter;

  constructor(private readonly run: IncidentRun) {
    const carried = run.input.carried as CarriedWithRecord | undefined;
    this.recordedThrough = carried?.recordedThrough ?? 0;
    this.postmortemSent = carried?.postmortemSent;
    // Nothing comes before paging someone: the first write waits until the first page has
    // been sent (its level's people resolved and pagers paged), so it competes with none of it.
    // Runs from before waited only until that page was scheduled.
    const afterPage = compat.recordAfterFirstPage(run.paths);
    const paged = condition(
      () => (!run.progress.pagePending && !(afterPage && run.paging)) || run.incident.status === IncidentStatus.Closed,
    );
    const writer = new RecordWriter(() => this.write(), paged);
    this.writer = writer;
    if (this.behind()) writer.touch();
    // Cheap to evaluate after every activation: a change records a timeline entry; the postmortem is re-rendered after one.
    const mark = () => `${nextTimelineSeq(run.incident)}:${run.incident.postmortem?.length ?? -1}`;
    let seen = mark();
    void (async () => {
      for (;;) {
        await condition(() => mark() !== seen);
        seen = mark();
        writer.touch();
      }
    })();
  }

  /** Writes what is left and resolves once every write has settled: the run awaits it before it ends. */
  async flush(): Promise<void> {
    if (this.behind()) this.writer.touch();
    await this.writer.settled();
  }

  /** The next run's input carries where the record stands. */
  static carry(input: OpenIncidentInput, projection: IncidentProjection | undefined): OpenIncidentInput {
    if (!projection || !input.carried) return input;
    const { recordedThrough, postmortemSent } = projection;
    const carried: CarriedWithRecord = { ...input.carried, recordedThrough, ...(postmortemSent === undefined ? {} : { postmortemSent }) };
    return { ...input, carried };
  }

  private postmortemHash(): string | undefined {
    const { postmortem } = this.run.incident;
    return postmortem === undefined ? undefined : shortHash(postmortem);
  }

  /** Entries in the window not written yet, or a postmortem not written yet. */
  private behind(): boolean {
    const { incident } = this.run;
    const from = Math.max(this.recordedThrough, incident.timelineStart ?? 0);
    return nextTimelineSeq(incident) > from || (incident.postmortem !== undefined && this.postmortemHash() !== this.postmortemSent);
  }

  private async write(): Promise<void> {
    const { incident } = this.run;
    const postmortem = this.postmortemHash();
    const input = incidentRecordInput(incident, this.recordedThrough, postmortem !== this.postmortemSent);
    try {
      await recordIncident(input);
    } catch (error) {
      // Only a refusal gets here (outages are retried until they end). Sending the same
      // write again cannot help, so it is passed over and later changes still reach the record.
      log.warn('The record refused an incident write; its entries are passed over', {
        incidentId: incident.id,
        entries: `${input.entries[0]?.seq ?? input.lastSeq + 1}-${input.lastSeq}`,
        error: failureMessage(error),
      });
    }
    this.recordedThrough = Math.max(this.recordedThrough, input.lastSeq + 1);
    if (input.postmortem !== undefined) this.postmortemSent = postmortem;
    // More than one write holds (a long outage, a storm): the next follows at once.
    if (this.behind()) this.writer.touch();
  }
}
