import type { z } from 'zod';
import {
  type CommentOnTicketInput,
  CommentOnTicketInputSchema,
  type CreateTicketInput,
  CreateTicketInputSchema,
  type Ticket,
  type TransitionTicketInput,
  TransitionTicketInputSchema,
} from '../../core/capabilities/ticketing';
import { parseStepInput } from '../step-input';

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
    async ticketingCreateTicket(input: CreateTicketInput): Promise<Ticket> {
      return port.createTicket(parseStepInput(CreateTicketInputSchema, input, 'ticketingCreateTicket'));
    },
    async ticketingComment(input: CommentOnTicketInput): Promise<void> {
      await port.comment(parseStepInput(CommentOnTicketInputSchema, input, 'ticketingComment'));
    },
    async ticketingTransition(input: TransitionTicketInput): Promise<void> {
      await port.transition(parseStepInput(TransitionTicketInputSchema, input, 'ticketingTransition'));
    },
  };
}
