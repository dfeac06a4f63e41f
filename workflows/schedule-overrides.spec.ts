import { randomUUID } from 'node:crypto';
import type { Override } from '../core/model/oncall/types';
import {
  SCHEDULE_OVERRIDE_LIMITS,
  SCHEDULE_OVERRIDES_WORKFLOW_TYPE,
  type ScheduleOverridesWorkflowInput,
  scheduleOverridesWorkflowId,
} from '../core/model/schedule-overrides';
import { addOverride, OverrideRefusedError, readOverrides, removeOverride } from '../temporal-client/schedule-overrides';
import { useTestWorker } from '../test/temporal';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** An override of `responder` from `fromMs` to `toMs`, with a fresh id. */
const override = (fromMs: number, toMs: number, responder = 'dana'): Override => ({
  id: randomUUID(),
  responder,
  from: iso(fromMs),
  to: iso(toMs),
  createdBy: 'ops',
  createdAt: iso(Date.now()),
});

describe('scheduleOverridesWorkflow (one schedule\'s overrides) through temporal-client/schedule-overrides', () => {
  const worker = useTestWorker('overrides');
  let scheduleId: string;

  // Workflow ids name the schedule only, so every test takes a schedule of its own.
  beforeEach(() => {
    scheduleId = `test-${randomUUID().slice(0, 8)}`;
  });

  const add = (held: Override) => addOverride(worker.client, { taskQueue: worker.taskQueue, scheduleId, override: held });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof OverrideRefusedError) return { kind: error.kind, issue: error.issue, message: error.message };
        throw error;
      },
    );
  /** Starts the schedule's workflow with `input` (as a continue-as-new would carry it). */
  const startWith = (input: Omit<ScheduleOverridesWorkflowInput, 'scheduleId'>) =>
    worker.client.workflow.start(SCHEDULE_OVERRIDES_WORKFLOW_TYPE, { workflowId: scheduleOverridesWorkflowId(worker.taskQueue, scheduleId), taskQueue: worker.taskQueue, args: [{ scheduleId, ...input }] });

  it('starts on the first add, adds each id once, removes, and reads nothing for a schedule never used', async () => {
    expect(await readOverrides(worker.client, { taskQueue: worker.taskQueue, scheduleId })).toEqual([]);
    const now = Date.now();
    const later = override(now + 2 * HOUR_MS, now + 3 * HOUR_MS, 'eli');
    const sooner = override(now + HOUR_MS, now + 2 * HOUR_MS);
    expect(await add(later)).toEqual(later);
    expect(await add(sooner)).toEqual(sooner);
    // A retried add (same id) answers the override held and adds nothing, even with other fields.
    expect(await add({ ...later, responder: 'fay' })).toEqual(later);
    expect(await readOverrides(worker.client, { taskQueue: worker.taskQueue, scheduleId })).toEqual([sooner, later]);

    expect(await removeOverride(worker.client, { taskQueue: worker.taskQueue, scheduleId, overrideId: sooner.id, by: 'ops' })).toEqual(sooner);
    expect(await readOverrides(worker.client, { taskQueue: worker.taskQueue, scheduleId })).toEqual([later]);
    expect(await refusal(removeOverride(worker.client, { taskQueue: worker.taskQueue, scheduleId, overrideId: 'no-such-id', by: 'ops' }))).toMatchObject({ kind: 'not-found' });
    expect(await refusal(removeOverride(worker.client, { taskQueue: worker.taskQueue, scheduleId: `${scheduleId}-never`, overrideId: later.id, by: 'ops' }))).toMatchObject({ kind: 'not-found' });
  });

  it('refuses an override that has ended, ends before it starts, or lasts more than 31 days, naming the field, and holds nothing of it', async () => {
    const now = Date.now();
    expect(await refusal(add(override(now - 2 * HOUR_MS, now - HOUR_MS)))).toMatchObject({ kind: 'invalid', issue: { path: ['to'], rule: 'in_past' } });
    expect(await refusal(add(override(now + 2 * HOUR_MS, now + HOUR_MS)))).toMatchObject({ kind: 'invalid', issue: { path: ['to'], rule: 'not_after_from' } });
    expect(await refusal(add(override(now + HOUR_MS, now + HOUR_MS + 31 * DAY_MS + 1)))).toMatchObject({ kind: 'invalid', issue: { path: ['to'], rule: 'too_long' } });
    expect(await refusal(add({ ...override(now + HOUR_MS, now + 2 * HOUR_MS), responder: 'x'.repeat(64) }))).toMatchObject({
      kind: 'invalid',
      message: 'responder must be text of 1 to 63 characters',
    });
    // Exactly 31 days is allowed.
    const longest = override(now + HOUR_MS, now + HOUR_MS + 31 * DAY_MS);
    expect(await add(longest)).toEqual(longest);
    expect(await readOverrides(worker.client, { taskQueue: worker.taskQueue, scheduleId })).toEqual([longest]);
  });

  it('drops overrides a week after they ended and refuses an add past 500 held, until one is removed', async () => {
    const now = Date.now();
    const endedLongAgo = override(now - 9 * DAY_MS, now - 8 * DAY_MS);
    const endedRecently = override(now - 7 * DAY_MS + HOUR_MS, now - 6 * DAY_MS);
    const upcoming = Array.from({ length: SCHEDULE_OVERRIDE_LIMITS.maxHeld - 1 }, (_, i) => override(now + (i + 1) * HOUR_MS, now + (i + 2) * HOUR_MS));
    await startWith({ overrides: [endedLongAgo, endedRecently, ...upcoming] });
    const held = await readOverrides(worker.client, { taskQueue: worker.taskQueue, scheduleId });
    expect(held).toHaveLength(SCHEDULE_OVERRIDE_LIMITS.maxHeld);
    expect(held.map((one) => one.id)).not.toContain(endedLongAgo.id);
    expect(held[0]).toEqual(endedRecently);

    const one = override(now + HOUR_MS, now + 2 * HOUR_MS);
    expect(await refusal(add(one))).toMatchObject({ kind: 'full', message: `the schedule already holds 500 overrides (at most 500); remove one first` });
    await removeOverride(worker.client, { taskQueue: worker.taskQueue, scheduleId, overrideId: endedRecently.id, by: 'ops' });
    expect(await add(one)).toEqual(one);
    expect(await readOverrides(worker.client, { taskQueue: worker.taskQueue, scheduleId })).toHaveLength(SCHEDULE_OVERRIDE_LIMITS.maxHeld);
  });

  it('continues as new as its history grows, carrying its overrides, and still adds a retried id once', async () => {
    const now = Date.now();
    await startWith({ historyLimit: 20 });
    const firstRun = (await worker.client.workflow.getHandle(scheduleOverridesWorkflowId(worker.taskQueue, scheduleId)).describe()).runId;
    const added: Override[] = [];
    for (let i = 0; i < 12; i += 1) {
      const next = override(now + (i + 1) * HOUR_MS, now + (i + 2) * HOUR_MS);
      added.push(await add(next));
    }
    expect((await worker.client.workflow.getHandle(scheduleOverridesWorkflowId(worker.taskQueue, scheduleId)).describe()).runId).not.toBe(firstRun);
    expect(await add(added[0])).toEqual(added[0]);
    expect(await readOverrides(worker.client, { taskQueue: worker.taskQueue, scheduleId })).toEqual(added);
  });
});
