import { type DynamicModule, Module } from '@nestjs/common';
import type { IntegrationsConfig } from '../../../../core/schemas/integrations-config';
import { IncidentsModule } from '../incidents/incidents.module';
import { AckSecretService } from './ack-secret.service';
import { AckController } from './ack.controller';
import { AckService } from './ack.service';
import { SMS_SETTINGS, TwilioSmsController } from './twilio-sms.controller';

/** Acknowledgements from notifications: the signed links' pages and Twilio's SMS webhook. The ack secret is shared with the calendar feeds. */
@Module({})
export class AckModule {
  static forRoot(options: { sms: IntegrationsConfig['sms'] }): DynamicModule {
    return {
      module: AckModule,
      global: true,
      imports: [IncidentsModule],
      controllers: [AckController, TwilioSmsController],
      providers: [AckSecretService, AckService, { provide: SMS_SETTINGS, useValue: options.sms }],
      exports: [AckSecretService],
    };
  }
}
