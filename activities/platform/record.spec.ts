import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { incidentRecordInput } from '../../record/projection';
import type { RecordStore } from '../../record/store';
import { snapshotOf, statusEntry } from '../../record/testing/incidents';
import { RecordUnavailableError } from '../../record/errors';
import { createRecordActivities, RecordFailure } from './record';

const input = incidentRecordInput(snapshotOf({ id: 'inc-1', timeline: [statusEntry('2026-01-01T00:00:00.000Z', 'opened')] }), 0);

function storeThat(recordIncident: () => Promise<unknown>): RecordStore {
  return { recordIncident, recordExecution: () => Promise.resolve() } as unknown as RecordStore;
}

describe('the record activities', () => {
  const env = new MockActivityEnvironment();

  it('fail retryably while the record cannot be reached', async () => {
    const activities = createRecordActivities(storeThat(() => Promise.reject(new RecordUnavailableError('recording an incident', 5))));
    const failure = await env.run(activities.recordIncident, input).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RecordUnavailableError);
  });

  it('fail for good when the database refuses the write itself', async () => {
    const refused = Object.assign(new Error('value too long for type character varying(10)'), { code: '22001' });
    const activities = createRecordActivities(storeThat(() => Promise.reject(refused)));
    const failure = await env.run(activities.recordIncident, input).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: RecordFailure.Refused, nonRetryable: true });
  });

  it('tell the observer of milestones the write recorded first, once', async () => {
    const seen: unknown[] = [];
    const reached = { severity: 'SEV2', metrics: { timeToAcknowledgeSeconds: 30 }, newlyReached: ['timeToAcknowledgeSeconds'] };
    const activities = createRecordActivities(storeThat(() => Promise.resolve(reached)), (milestones) => seen.push(milestones));
    await env.run(activities.recordIncident, input);
    expect(seen).toEqual([reached]);
  });

  it('do nothing without a record', async () => {
    await expect(env.run(createRecordActivities(undefined).recordIncident, input)).resolves.toBeUndefined();
  });
});
