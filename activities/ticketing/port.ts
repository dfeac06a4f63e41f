import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

export type CreateTicketCommand = OperationCommand<'ticketing', 'createTicket'>;
export type CommentOnTicketCommand = OperationCommand<'ticketing', 'comment'>;
export type TransitionTicketCommand = OperationCommand<'ticketing', 'transition'>;

/** Ticketing, as Firebreak needs it. Every operation acts once per idempotency key. */
export type TicketingPort = CapabilityPort<'ticketing'>;

export const createTicketingActivities = (port: TicketingPort) => capabilityActivities('ticketing', port);
