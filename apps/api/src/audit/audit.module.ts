import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AuditController } from './audit.controller';
import { AuditMiddleware } from './audit.middleware';
import { AuditService } from './audit.service';

/** The audit log: recorded by {@link AuditMiddleware} (mounted for every route), read at `GET /v1/audit`. */
@Global()
@Module({ imports: [AuthModule], controllers: [AuditController], providers: [AuditService, AuditMiddleware], exports: [AuditService, AuditMiddleware] })
export class AuditModule {}
export { AuditMiddleware };
