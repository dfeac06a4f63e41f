/** The bench's API process: Firebreak's API as `createApiApp` builds it, on a free loopback port. */
import { createApiApp } from '../../apps/api/src/app';
import { loadConfig } from '../../core/schemas/config';
import { apiSettingsFromEnv } from '../lib/api-settings';
import { send, serve } from './child';

async function main(): Promise<void> {
  const config = loadConfig({
    ...apiSettingsFromEnv(),
    // A scenario's own settings for this host (e.g. the public-read flood without the status cache).
    ...(JSON.parse(process.env.BENCH_API_SETTINGS ?? '{}') as Record<string, string>),
    API_KEYS: process.env.BENCH_API_KEYS,
    TEMPORAL_ADDRESS: process.env.BENCH_TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: process.env.BENCH_TASK_QUEUE,
    LOG_LEVEL: 'warn',
  });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  serve({}, () => app.close());
  send({ t: 'ready', port });
}

main().catch((error: unknown) => {
  console.error('bench API host failed:', error);
  process.exit(1);
});
