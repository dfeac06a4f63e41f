import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../../../core/schemas/config';
import { resolveAckSecret } from '../../../../security/ack-secret';
import { CONFIG } from '../tokens';

/** The deployment's ack secret, read once on first use: it verifies ack links and signs calendar feed tokens. */
@Injectable()
export class AckSecretService {
  private secret?: string;

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  get value(): string {
    this.secret ??= resolveAckSecret(this.config);
    return this.secret;
  }
}
