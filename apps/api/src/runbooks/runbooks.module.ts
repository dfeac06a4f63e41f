import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { RunbooksController } from './runbooks.controller';
import { RunbooksService } from './runbooks.service';

@Module({ imports: [IncidentsModule], controllers: [RunbooksController], providers: [RunbooksService] })
export class RunbooksModule {}
