import { Module } from '@nestjs/common';
import { EndedSessions } from './ended-sessions';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';

/** Console sessions: sign-in (API key or single sign-on), sign-out, and the checks the guards make on the cookie. */
@Module({ controllers: [SessionController, OidcController], providers: [SessionService, EndedSessions, OidcService], exports: [SessionService] })
export class SessionModule {}
