import type { TestWorkflowEnvironment } from '@temporalio/testing';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { firebreakTemporal?: TestWorkflowEnvironment }).firebreakTemporal?.teardown();
}
