import { Module } from '@nestjs/common';
import { AlertIngestor } from './alert-ingestor.service';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { VendorAlertsController } from './vendor-alerts.controller';

@Module({ controllers: [AlertsController, VendorAlertsController], providers: [AlertsService, AlertIngestor] })
export class AlertsModule {}
