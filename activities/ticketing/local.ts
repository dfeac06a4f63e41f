import type { Ticket } from '../../core/schemas/capabilities/ticketing';
import { keyDigest } from '../step-input';
import type { CreateTicketCommand, TicketingPort } from './port';

/**
 * The built-in ticketing: the ticket is the record the calling workflow keeps on the
 * incident's timeline. Its key (`LOCAL-<digest>`) derives from the idempotency key, so a
 * repeated step gets the same ticket; comments and transitions are recorded the same way.
 */
export class LocalTicketing implements TicketingPort {
  async createTicket({ idempotencyKey, incidentId, incidentUrl }: CreateTicketCommand): Promise<Ticket> {
    const key = `LOCAL-${keyDigest(idempotencyKey, 8).toUpperCase()}`;
    const incident = incidentUrl ?? `/v1/incidents/${encodeURIComponent(incidentId)}`;
    return { key, url: `${incident}#${key}`, created: true };
  }

  async comment(): Promise<void> {}

  async transition(): Promise<void> {}
}
