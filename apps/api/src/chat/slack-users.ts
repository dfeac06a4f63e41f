import { Inject, Injectable } from '@nestjs/common';
import type { OperatorConfig } from '../../../../core/schemas/operator-config';
import type { Principal } from '../auth/principal';
import { OPERATOR_CONFIG } from '../tokens';

/**
 * Slack users as Firebreak principals: a responder with a Slack id in `runbooks/responders.ts`
 * is themselves (the name people know them by, as on an acknowledgement from a notification)
 * with the `responder` role; `runbooks/chat-users.ts` adds people and overrides names and
 * roles. Anyone else is nobody.
 */
@Injectable()
export class SlackUsers {
  private readonly principals = new Map<string, Principal>();

  constructor(@Inject(OPERATOR_CONFIG) operator: OperatorConfig) {
    for (const responder of operator.responders.values()) {
      if (responder.contact.slack) this.principals.set(responder.contact.slack, { name: responder.name, role: 'responder' });
    }
    for (const user of operator.chatUsers.values()) this.principals.set(user.slack, { name: user.name, role: user.role });
  }

  principalOf(slackUserId: string): Principal | undefined {
    return this.principals.get(slackUserId);
  }
}
