import { ApplicationFailure } from '@temporalio/common';
import type { Responder } from '../../core/model/oncall/types';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { NotificationResult } from '../../core/schemas/capabilities/notification';
import { redact } from '../http-failures';
import { type AckLinkSettings, notificationLinks } from './message';
import type { NotificationChannels, NotificationPort, SendNotificationCommand } from './port';

/**
 * Notifies a person: finds their address for the method in the responder directory (the
 * workflow only names them, so addresses stay out of its history), signs the one-time
 * acknowledgement link, and hands both to the method's channel. Whatever a channel fails
 * with is scrubbed of the address and the token before it reaches Temporal.
 */
export class Notifier implements NotificationPort {
  constructor(
    private readonly channels: NotificationChannels,
    private readonly responders: ReadonlyMap<string, Responder>,
    private readonly ackLinks: AckLinkSettings,
  ) {}

  async send(command: SendNotificationCommand): Promise<NotificationResult> {
    const { responder: id, method } = command;
    const responder = this.responders.get(id);
    if (!responder) {
      throw ApplicationFailure.create({
        message: `Cannot notify "${id}" by ${method}: no such responder in runbooks/responders.ts`,
        type: CapabilityFailure.Rejected,
        nonRetryable: true,
      });
    }
    const address = responder.contact[method];
    if (!address) {
      throw ApplicationFailure.create({
        message: `Cannot notify "${id}" by ${method}: they have no ${method} address in runbooks/responders.ts`,
        type: CapabilityFailure.Rejected,
        nonRetryable: true,
      });
    }
    const links = notificationLinks(this.ackLinks, command.incidentId, id);
    const channel = this.channels[method];
    try {
      const { vendorId } = await channel.deliver({ command, address, links });
      return { method, provider: channel.provider, delivered: true, ...(vendorId ? { vendorId } : {}) };
    } catch (error) {
      throw scrubbed(error, [links.ack, links.token, address]);
    }
  }
}

/** `error` with every value of `secrets` taken out of its message (a failure keeps its type and retry advice). */
function scrubbed(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof Error)) return error;
  const message = redact(error.message, secrets);
  if (message === error.message) return error;
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      message,
      type: error.type ?? undefined,
      nonRetryable: error.nonRetryable ?? false,
      details: error.details ?? undefined,
      nextRetryDelay: error.nextRetryDelay ?? undefined,
    });
  }
  return new Error(message);
}
