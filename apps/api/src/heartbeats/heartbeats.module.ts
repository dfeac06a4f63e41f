import { Module } from '@nestjs/common';
import { HeartbeatsController } from './heartbeats.controller';
import { HeartbeatsService } from './heartbeats.service';

@Module({ controllers: [HeartbeatsController], providers: [HeartbeatsService] })
export class HeartbeatsModule {}
