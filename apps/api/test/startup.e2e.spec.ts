import { createApiApp } from '../src/app';
import { loadConfig } from '../../../core/schemas/config';
import { OperatorConfigError } from '../../../core/schemas/operator-config';

describe('start-up', () => {
  const config = loadConfig({ API_KEYS: 'ops:admin:Ad7Qm2Xv9Lk4Rt8Wn1Yb6Hj3Gf5Dc0Za' });

  it('stops with a message naming the file and field of a mistake in runbooks/', async () => {
    const start = createApiApp(config, {
      operatorFiles: {
        routes: { file: 'runbooks/routes.ts', value: { routes: [{ name: 'db', match: { team: 'db' }, escalationPolicy: 'dba' }], default: {} } },
        escalationPolicies: { file: 'runbooks/escalation-policies.ts', value: { oncall: { levels: [{ targets: ['sre'] }] } } },
        heartbeats: { file: 'runbooks/heartbeats.ts', value: [{ name: 'backup', intervalSeconds: 0 }] },
      },
    });
    await expect(start).rejects.toThrow(OperatorConfigError);
    await expect(start).rejects.toThrow(
      'runbooks/routes.ts: routes.0.escalationPolicy: no escalation policy "dba" in runbooks/escalation-policies.ts',
    );
    await expect(start).rejects.toThrow('runbooks/heartbeats.ts: 0.intervalSeconds: Too small');
  });

  it('starts with the shipped runbooks/ files', async () => {
    const app = await createApiApp(config);
    await app.close();
  });
});
