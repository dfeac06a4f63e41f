import { Module } from '@nestjs/common';
import { IncidentEventHub } from './incident-events';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

@Module({ controllers: [IncidentsController], providers: [IncidentsService, IncidentEventHub], exports: [IncidentsService] })
export class IncidentsModule {}
