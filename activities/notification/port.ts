import type { ContactMethod } from '../../core/model/oncall/types';
import type { NotificationResult } from '../../core/schemas/capabilities/notification';
import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';
import type { NotificationLinks } from './message';

export type SendNotificationCommand = OperationCommand<'notification', 'send'>;

/** Notifying one person by one method. */
export type NotificationPort = CapabilityPort<'notification'>;

export const createNotificationActivities = (port: NotificationPort) => capabilityActivities('notification', port);

/** One notification, ready for its channel. */
export interface Delivery {
  command: SendNotificationCommand;
  /** The person's address for the method (Slack user id, email, phone): never in a log or a failure. */
  address: string;
  links: NotificationLinks;
}

/** The adapter of one contact method: Slack DM, email, SMS or voice. */
export interface NotificationChannel {
  readonly provider: NotificationResult['provider'];
  /** Delivers, or throws the mapped vendor failure; returns the vendor's id for it. */
  deliver(delivery: Delivery): Promise<{ vendorId?: string }>;
}

/** The channel each contact method goes through, as configured. */
export type NotificationChannels = Readonly<Record<ContactMethod, NotificationChannel>>;
