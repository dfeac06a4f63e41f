import { Global, Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module';
import { ApiKeyPrincipals } from './api-key-principals';
import { Authenticator } from './authenticator';

/** Who is calling, for every guard: API keys and console sessions. */
@Global()
@Module({ imports: [SessionModule], providers: [ApiKeyPrincipals, Authenticator], exports: [ApiKeyPrincipals, Authenticator, SessionModule] })
export class AuthModule {}
