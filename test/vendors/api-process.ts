/**
 * The real Firebreak API (createApiApp) in a process of its own, for tests that kill it:
 * settings from its environment as in production, the test runbook catalog. Listens on a
 * free port and prints `ready <port>`.
 */
import 'reflect-metadata';
import { createApiApp } from '../../apps/api/src/app';
import { loadConfig } from '../../core/schemas/config';
import { runbookCatalog } from '../runbooks/catalog';

async function main(): Promise<void> {
  const app = await createApiApp(loadConfig(process.env), { runbooks: runbookCatalog() });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  console.log(`ready ${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
