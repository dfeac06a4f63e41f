import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../../core/schemas/config';
import { checkPagerDutyTargets, loadIntegrationsConfig } from '../../../core/schemas/integrations-config';
import { loadOperatorConfig } from '../../../core/schemas/operator-config';
import { describeStartupFailure } from '../../../core/schemas/startup-errors';
import { loadCustomCapabilities } from '../../../activities/custom-capabilities';
import { checkRunbookUses } from '../../../core/schemas/custom-capabilities';
import { operatorFiles } from '../../../runbooks';
import { CAPABILITY_FILES } from '../../../runbooks/capabilities';
import { runbookCatalog } from '../../../runbooks/catalog';
import { createFirebreakWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const integrations = loadIntegrationsConfig(process.env);
  // Routes, policies and monitors are checked here too, so a mistake stops every process.
  const operator = loadOperatorConfig(operatorFiles);
  checkPagerDutyTargets(operator.escalationPolicies, integrations.paging);
  // Custom capabilities with their settings; every runbook's `uses` among them.
  const capabilities = loadCustomCapabilities(CAPABILITY_FILES, process.env);
  checkRunbookUses(runbookCatalog().values(), capabilities.declared);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await createFirebreakWorker({ config, connection, integrations, operator, capabilities });
    // The supervisor in scripts/start.mjs waits for this line.
    console.log(`Firebreak worker polling task queue "${config.temporal.taskQueue}" at ${config.temporal.address}`);
    // Worker.run() stops cleanly on SIGINT and SIGTERM, finishing the tasks in hand.
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(describeStartupFailure(error));
  process.exit(1);
});
