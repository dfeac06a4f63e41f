import { Module } from '@nestjs/common';
import { RoutingKeyGuard } from '../auth/routing-key.guard';
import { IncidentsModule } from '../incidents/incidents.module';
import { AlertFormatsService } from './alert-formats.service';
import { AlertIngestor } from './alert-ingestor.service';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { CloudEventsAlertsController } from './cloudevents-alerts.controller';
import { DedupKeyIncidents } from './dedup-key-incidents';
import { OpsgenieAlertsController } from './opsgenie-alerts.controller';
import { PagerDutyAlertsController } from './pagerduty-alerts.controller';
import { VendorAlertsController } from './vendor-alerts.controller';

@Module({
  imports: [IncidentsModule],
  controllers: [AlertsController, VendorAlertsController, PagerDutyAlertsController, OpsgenieAlertsController, CloudEventsAlertsController],
  providers: [AlertsService, AlertIngestor, AlertFormatsService, DedupKeyIncidents, RoutingKeyGuard],
})
export class AlertsModule {}
