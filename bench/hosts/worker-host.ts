/**
 * The bench's worker process: Firebreak's worker exactly as `createFirebreakWorker` builds
 * it (options and the real activities), with thin timing wrappers on the escalation's
 * activities (`pagingPage`, `oncallResolve`, `notificationSend`), plus
 * the bench-only baseline worker on its own task queue. Each wrapped activity's first line
 * reports its time to the driver.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createFirebreakWorker } from '../../apps/worker/src/worker';
import { loadConfig } from '../../core/schemas/config';
import type { PageInput } from '../../core/schemas/capabilities/paging';
import { createBaselineActivities } from '../baseline/activities';
import { BASELINE_TASK_QUEUE } from '../baseline/messages';
import { now } from '../lib/clock';
import { processStats, send, serve } from './child';

type Activity = (...args: never[]) => Promise<unknown>;

const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset (the bench driver sets it)`);
  return value;
};

const mark = (key: string) => send({ t: 'mark', key, at: now() });

/**
 * Wraps what `createFirebreakWorker` hands to `Worker.create`: the real activities, with
 * the escalation's first activity reporting its first line and a notification its send. Everything else (options, tuning) is untouched.
 */
function instrumentWorkerCreate(): () => Worker | undefined {
  let created: Worker | undefined;
  const original = Worker.create.bind(Worker);
  (Worker as { create: typeof Worker.create }).create = async (options: WorkerOptions) => {
    // One worker only: the next Worker.create (the baseline's) is the SDK's own.
    (Worker as { create: typeof Worker.create }).create = original;
    const activities = { ...(options.activities as Record<string, Activity> | undefined) };
    const wrap = <I>(name: string, before: (input: I) => void, after: (input: I) => void = () => undefined) => {
      const activity = activities[name] as ((input: I) => Promise<unknown>) | undefined;
      if (!activity) throw new Error(`the Firebreak worker registers no ${name} activity; the bench cannot time the first action`);
      activities[name] = (async (input: I) => {
        before(input);
        const result = await activity(input);
        after(input);
        return result;
      }) as Activity;
    };
    // The first action: the level's first activity, a page to a pager or reading who is on call.
    wrap<PageInput>('pagingPage', (input) => input.action === 'trigger' && mark(`page:${input.incidentId}`));
    wrap<{ incidentId: string }>('oncallResolve', (input) => mark(`page:${input.incidentId}`));
    // The first notification sent to a person: when its channel has taken it.
    wrap<{ incidentId: string }>('notificationSend', () => undefined, (input) => mark(`notify:${input.incidentId}`));
    // Experiments: BENCH_WORKER_OPTIONS='{"maxCachedWorkflows":500}' overrides Firebreak's options.
    const overrides = JSON.parse(process.env.BENCH_WORKER_OPTIONS ?? '{}') as Partial<WorkerOptions>;
    created = await original({ ...options, ...overrides, activities });
    return created;
  };
  return () => created;
}

async function main(): Promise<void> {
  // Worker lifecycle chatter would bury the bench's output; warnings and errors still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = required('BENCH_TEMPORAL_ADDRESS');
  // BENCH_DATABASE_URL: the incident record the workflows' projection writes to (none by default).
  const record = process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {};
  const config = loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: required('BENCH_TASK_QUEUE'), LOG_LEVEL: 'warn', ...record });
  const connection = await NativeConnection.connect({ address });
  const firebreakWorker = instrumentWorkerCreate();
  const firebreak = await createFirebreakWorker({
    config,
    connection,
    workflowBundle: { codePath: required('BENCH_FIREBREAK_BUNDLE') },
  });
  if (firebreakWorker() !== firebreak) throw new Error('createFirebreakWorker no longer goes through Worker.create; update the bench');
  // A raw worker with the SDK's defaults: what an application without Firebreak would run.
  const baseline = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: BASELINE_TASK_QUEUE,
    workflowBundle: { codePath: required('BENCH_BASELINE_BUNDLE') },
    activities: createBaselineActivities((key) => mark(`baseline:${key}`)),
  });
  const running = Promise.all([firebreak.run(), baseline.run()]);
  serve(
    {
      stats: () =>
        processStats({
          cachedWorkflows: {
            firebreak: firebreak.getStatus().numCachedWorkflows,
            baseline: baseline.getStatus().numCachedWorkflows,
          },
        }),
      options: () => {
        const { maxCachedWorkflows, workflowThreadPoolSize, reuseV8Context, stickyQueueScheduleToStartTimeoutMs } = firebreak.options;
        const { workflowTaskPollerBehavior, activityTaskPollerBehavior, maxConcurrentWorkflowTaskExecutions, maxConcurrentActivityTaskExecutions } =
          firebreak.options as unknown as Record<string, unknown>;
        return {
          maxCachedWorkflows,
          workflowThreadPoolSize,
          reuseV8Context,
          stickyQueueScheduleToStartTimeoutMs,
          workflowTaskPollerBehavior,
          activityTaskPollerBehavior,
          maxConcurrentWorkflowTaskExecutions,
          maxConcurrentActivityTaskExecutions,
        };
      },
    },
    async () => {
      firebreak.shutdown();
      baseline.shutdown();
      await running;
      await connection.close();
    },
  );
  send({ t: 'ready' });
  await running;
}

main().catch((error: unknown) => {
  console.error('bench worker host failed:', error);
  process.exit(1);
});
