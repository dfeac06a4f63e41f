import type { LevelNotify } from '../core/model/oncall/types';
import type { ChatUsersFile } from '../core/schemas/chat-users';
import type { RespondersFile, SchedulesFile } from '../core/schemas/oncall-config';
import type { WebhooksFile } from '../core/schemas/webhooks-config';
import { loadOperatorConfig, type OperatorConfig, type RoutesFile } from '../core/schemas/operator-config';

/**
 * Operator config for tests: no routes, a default route without escalation unless asked,
 * nobody on call unless responders and schedules are given, nobody acting from Slack unless
 * chat users (or responders with a Slack id) are given, and short timeouts so ladders
 * and heartbeats play out in seconds.
 */
export function testOperatorConfig(
  options: {
    escalation?: {
      levels: Array<{ targets: string[]; timeoutSeconds: number; notify?: LevelNotify }>;
      repeat?: number;
      fallback?: string[];
    };
    heartbeats?: unknown[];
    autoMitigate?: boolean;
    responders?: RespondersFile;
    schedules?: SchedulesFile;
    chatUsers?: ChatUsersFile;
    /** Outgoing webhook subscriptions; none by default. */
    webhooks?: WebhooksFile;
    /** Routes before the default one. */
    routes?: RoutesFile['routes'];
  } = {},
): OperatorConfig {
  return loadOperatorConfig({
    routes: {
      file: 'test/routes',
      value: {
        routes: options.routes ?? [],
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
    responders: { file: 'test/responders', value: options.responders ?? [] },
    schedules: { file: 'test/schedules', value: options.schedules ?? [] },
    chatUsers: { file: 'test/chat-users', value: options.chatUsers ?? [] },
    webhooks: { file: 'test/webhooks', value: options.webhooks ?? [] },
  });
}
