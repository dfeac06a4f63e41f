import { z } from 'zod';
import { SEVERITIES } from '../../model/incident-model';
import { CONTACT_METHODS } from '../../model/oncall/types';
import { StepInputBase, stepText } from './common';

/**
 * One notification of one person by one method. The address (Slack user id, email, phone)
 * is not in the input: the adapter looks the responder up in the directory it was built
 * with, so addresses never enter workflow history. The acknowledgement link is signed
 * inside the activity for the same reason.
 */
export const SendNotificationInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  /** The responder's id, as `runbooks/responders.ts` defines it. */
  responder: z.string().min(1),
  method: z.enum(CONTACT_METHODS),
  /** 1-based escalation level and round. */
  level: z.number().int().min(1),
  round: z.number().int().min(1),
  incident: z.object({
    /** Plain text of any length: each channel escapes and fits it (an SMS is short). */
    title: stepText(1),
    severity: z.enum(SEVERITIES),
    service: stepText(1).optional(),
    summary: stepText().optional(),
  }),
});
export type SendNotificationInput = z.input<typeof SendNotificationInputSchema>;

export const NOTIFICATION_PROVIDERS = ['local', 'slack', 'smtp', 'twilio'] as const;

export const NotificationResultSchema = z.object({
  method: z.enum(CONTACT_METHODS),
  provider: z.enum(NOTIFICATION_PROVIDERS),
  delivered: z.boolean(),
  /** The vendor's id for it: a Slack message ts, an email Message-ID, a Twilio SID. */
  vendorId: z.string().optional(),
});
export type NotificationResult = z.infer<typeof NotificationResultSchema>;
