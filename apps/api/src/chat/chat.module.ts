import { type DynamicModule, Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { RunbooksModule } from '../runbooks/runbooks.module';
import { SlackActions } from './slack-actions';
import { SlackResponses } from './slack-responses';
import { SLACK_INTERACTIVITY, type SlackInteractivity } from './slack-settings';
import { SlackUsers } from './slack-users';
import { SlackVerifier } from './slack-verifier';
import { SlackController } from './slack.controller';

/** Two-way chat: Slack's slash commands and buttons, acting through the incident and runbook services. */
@Module({})
export class ChatModule {
  static forRoot(slack: SlackInteractivity): DynamicModule {
    return {
      module: ChatModule,
      imports: [IncidentsModule, RunbooksModule],
      controllers: [SlackController],
      providers: [{ provide: SLACK_INTERACTIVITY, useValue: slack }, SlackVerifier, SlackUsers, SlackResponses, SlackActions],
    };
  }
}
