import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ZodValidationPipe } from 'nestjs-zod';
import type { ApiKey, Config } from '../../../core/schemas/config';
import type { IntegrationsConfig } from '../../../core/schemas/integrations-config';
import type { OperatorConfig } from '../../../core/schemas/operator-config';
import type { RunbookDefinition } from '../../../core/model/runbook';
import type { SnsTransport } from './alerts/vendor-alerts.controller';
import { AckModule } from './ack/ack.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuditMiddleware, AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { slackInteractivity } from './chat/slack-settings';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { HeartbeatsModule } from './heartbeats/heartbeats.module';
import { ErrorsFilter } from './http/errors.filter';
import { IncidentsModule } from './incidents/incidents.module';
import { MetricsModule } from './metrics/metrics.module';
import { OncallModule } from './oncall/oncall.module';
import { RateLimitGuard, rateLimitOptions } from './rate-limit/rate-limit.guard';
import { RecordModule } from './record/record.module';
import { RunbooksModule } from './runbooks/runbooks.module';
import { StatusModule } from './status/status.module';
import { TemporalModule } from './temporal/temporal.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { API_KEYS, CONFIG, OPERATOR_CONFIG, RUNBOOK_CATALOG, SNS_TRANSPORT } from './tokens';

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every route, so that refusals before any handler are recorded too.
    consumer.apply(AuditMiddleware).forRoutes('*path');
  }

  static forRoot(options: {
    config: Config;
    apiKeys: ApiKey[];
    operator: OperatorConfig;
    runbooks: ReadonlyMap<string, RunbookDefinition>;
    sns: SnsTransport;
    /**
     * The API reads only the SMS settings (Twilio's webhook is verified with its auth token)
     * and the Slack API URLs (where Slack's response URLs may point besides Slack's own).
     */
    integrations: Pick<IntegrationsConfig, 'sms'> & Partial<Pick<IntegrationsConfig, 'chat' | 'slackDm'>>;
  }): DynamicModule {
    const { config, apiKeys, operator, runbooks, sns, integrations } = options;
    return {
      module: AppModule,
      global: true,
      imports: [
        ThrottlerModule.forRoot(rateLimitOptions(config)),
        TemporalModule,
        RecordModule,
        AuditModule,
        MetricsModule,
        AlertsModule,
        IncidentsModule,
        HeartbeatsModule,
        RunbooksModule,
        StatusModule,
        AckModule.forRoot({ sms: integrations.sms }),
        OncallModule,
        WebhooksModule,
        AuthModule,
        ChatModule.forRoot(slackInteractivity(config, integrations)),
      ],
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: API_KEYS, useValue: apiKeys },
        { provide: OPERATOR_CONFIG, useValue: operator },
        { provide: SNS_TRANSPORT, useValue: sns },
        { provide: RUNBOOK_CATALOG, useValue: runbooks },
        ReadinessService,
        // Rate limits first, so requests with unknown keys are limited too.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ErrorsFilter },
      ],
      exports: [CONFIG, API_KEYS, OPERATOR_CONFIG, SNS_TRANSPORT, RUNBOOK_CATALOG],
    };
  }
}
