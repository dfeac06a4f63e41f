import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ZodValidationPipe } from 'nestjs-zod';
import type { ApiKey, Config } from '../../../core/config';
import { AlertsModule } from './alerts/alerts.module';
import { AuthGuard } from './auth/auth.guard';
import { HealthController } from './health/health.controller';
import { ErrorsFilter } from './http/errors.filter';
import { IncidentsModule } from './incidents/incidents.module';
import { TemporalModule } from './temporal/temporal.module';
import { API_KEYS, CONFIG } from './tokens';

@Module({})
export class AppModule {
  static forRoot(config: Config, apiKeys: ApiKey[]): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [TemporalModule, AlertsModule, IncidentsModule],
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: API_KEYS, useValue: apiKeys },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ErrorsFilter },
      ],
      exports: [CONFIG, API_KEYS],
    };
  }
}
