import type { z } from 'zod';
import {
  CommentOnTicketInputSchema,
  CreateTicketInputSchema,
  type Ticket,
  TransitionTicketInputSchema,
} from '../../core/capabilities/ticketing';
import { stepActivity } from '../step-input';

export type CreateTicketCommand = z.output<typeof CreateTicketInputSchema>;
export type CommentOnTicketCommand = z.output<typeof CommentOnTicketInputSchema>;
export type TransitionTicketCommand = z.output<typeof TransitionTicketInputSchema>;

/** Ticketing, as Firebreak needs it. Every operation acts once per idempotency key. */
export interface TicketingPort {
  createTicket(command: CreateTicketCommand): Promise<Ticket>;
  comment(command: CommentOnTicketCommand): Promise<void>;
  /** Moves the ticket to status `to`; a no-op when it is there already. */
  transition(command: TransitionTicketCommand): Promise<void>;
}

export function createTicketingActivities(port: TicketingPort) {
  return {
    ticketingCreateTicket: stepActivity('ticketingCreateTicket', CreateTicketInputSchema, (c) => port.createTicket(c)),
    ticketingComment: stepActivity('ticketingComment', CommentOnTicketInputSchema, (c) => port.comment(c)),
    ticketingTransition: stepActivity('ticketingTransition', TransitionTicketInputSchema, (c) => port.transition(c)),
  };
}
