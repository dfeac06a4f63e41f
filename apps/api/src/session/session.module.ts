import { Module } from '@nestjs/common';
import { EndedSessions } from './ended-sessions';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';

/** Console sessions: sign-in, sign-out, and the checks the guards make on the cookie. */
@Module({ controllers: [SessionController], providers: [SessionService, EndedSessions], exports: [SessionService] })
export class SessionModule {}
