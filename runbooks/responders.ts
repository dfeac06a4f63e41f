import { defineResponders } from '../core/schemas/oncall-config';

/**
 * The people escalation reaches: `user:<id>` in a policy, or a schedule's layers, name them.
 * Each has addresses per method (Slack user id, email, E.164 numbers for SMS and voice) and
 * rules in the order they fire: a method, and how many minutes the page must go
 * unacknowledged before it is used (0: at once). Acknowledging stops every rule still to come.
 */
export default defineResponders([
  {
    id: 'dana',
    name: 'Dana Ortiz',
    timeZone: 'Europe/Berlin',
    contact: { slack: 'U01DANA0001', email: 'dana@example.com', sms: '+15555550101', voice: '+15555550101' },
    rules: [
      { method: 'slack', afterMinutes: 0 },
      { method: 'email', afterMinutes: 0 },
      { method: 'sms', afterMinutes: 2 },
      { method: 'voice', afterMinutes: 5 },
    ],
  },
  {
    id: 'sam',
    name: 'Sam Achterberg',
    timeZone: 'Europe/Amsterdam',
    contact: { slack: 'U01SAM00002', email: 'sam@example.com', sms: '+15555550102', voice: '+15555550102' },
    rules: [
      { method: 'slack', afterMinutes: 0 },
      { method: 'email', afterMinutes: 0 },
      { method: 'sms', afterMinutes: 2 },
      { method: 'voice', afterMinutes: 5 },
    ],
  },
  {
    id: 'priya',
    name: 'Priya Raman',
    timeZone: 'Europe/Berlin',
    contact: { slack: 'U01PRIYA003', email: 'priya@example.com', sms: '+15555550103' },
    rules: [
      { method: 'slack', afterMinutes: 0 },
      { method: 'sms', afterMinutes: 1 },
      { method: 'email', afterMinutes: 3 },
    ],
  },
  {
    id: 'lee',
    name: 'Lee Morgan (engineering manager)',
    timeZone: 'Europe/London',
    contact: { email: 'lee@example.com', sms: '+15555550104', voice: '+15555550104' },
    rules: [
      { method: 'email', afterMinutes: 0 },
      { method: 'sms', afterMinutes: 0 },
      { method: 'voice', afterMinutes: 5 },
    ],
  },
]);
