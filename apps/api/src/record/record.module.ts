import { Global, Module } from '@nestjs/common';
import { RecordService } from './record.service';
import { ReportsController } from './reports.controller';

/** The lasting record: reports here, search and archived reads through the incidents routes. */
@Global()
@Module({ controllers: [ReportsController], providers: [RecordService], exports: [RecordService] })
export class RecordModule {}
