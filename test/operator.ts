import { loadOperatorConfig, type OperatorConfig } from '../core/schemas/operator-config';

/**
 * Operator config for tests: no routes, a default route without escalation unless asked,
 * and short timeouts so ladders and heartbeats play out in seconds.
 */
export function testOperatorConfig(
  options: {
    escalation?: { levels: Array<{ targets: string[]; timeoutSeconds: number }>; repeat?: number };
    heartbeats?: unknown[];
    autoMitigate?: boolean;
  } = {},
): OperatorConfig {
  return loadOperatorConfig({
    routes: {
      file: 'test/routes',
      value: {
        routes: [],
        default: {
          impact: 'high',
          urgency: 'medium',
          autoMitigate: options.autoMitigate ?? false,
          ...(options.escalation ? { escalationPolicy: 'test-ladder' } : {}),
        },
      },
    },
    escalationPolicies: { file: 'test/policies', value: options.escalation ? { 'test-ladder': options.escalation } : {} },
    heartbeats: { file: 'test/heartbeats', value: options.heartbeats ?? [] },
  });
}
