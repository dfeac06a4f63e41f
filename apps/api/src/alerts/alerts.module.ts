import { Module } from '@nestjs/common';
import { AlertIngestor } from './alert-ingestor.service';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

@Module({ controllers: [AlertsController], providers: [AlertsService, AlertIngestor] })
export class AlertsModule {}
