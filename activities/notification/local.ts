import type { NotificationChannel } from './port';

/**
 * The built-in channel: the notification is the calling workflow's record (the incident's
 * timeline and `/v1/notifications`), so a fresh `npm start` shows who would be woken and how.
 * It keeps no state and never refuses.
 */
export class LocalNotificationChannel implements NotificationChannel {
  readonly provider = 'local';

  async deliver(): Promise<{ vendorId?: string }> {
    return {};
  }
}
