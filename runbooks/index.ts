/**
 * The operator's folder, as the API and the worker load it. Every file here is checked at
 * start; a mistake stops start-up with a message naming the file and the field.
 */
import type { OperatorFiles } from '../core/schemas/operator-config';
import chatUsers from './chat-users';
import escalationPolicies from './escalation-policies';
import heartbeats from './heartbeats';
import responders from './responders';
import routes from './routes';
import schedules from './schedules';
import services from './services';
import webhooks from './webhooks';
import { runbookCatalog } from './catalog';

export const operatorFiles: OperatorFiles = {
  routes: { file: 'runbooks/routes.ts', value: routes },
  escalationPolicies: { file: 'runbooks/escalation-policies.ts', value: escalationPolicies },
  heartbeats: { file: 'runbooks/heartbeats.ts', value: heartbeats },
  responders: { file: 'runbooks/responders.ts', value: responders },
  schedules: { file: 'runbooks/schedules.ts', value: schedules },
  chatUsers: { file: 'runbooks/chat-users.ts', value: chatUsers },
  webhooks: { file: 'runbooks/webhooks.ts', value: webhooks },
  services: { file: 'runbooks/services.ts', value: services },
  runbookIds: [...runbookCatalog().keys()],
};
