import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { ExecutionListService } from './execution-list.service';
import { RunbooksController } from './runbooks.controller';
import { RunbooksService } from './runbooks.service';

@Module({ imports: [IncidentsModule], controllers: [RunbooksController], providers: [RunbooksService, ExecutionListService], exports: [RunbooksService] })
export class RunbooksModule {}
