import { defineWebhooks } from '../core/schemas/webhooks-config';

/**
 * Outgoing webhooks: Firebreak POSTs its events (docs/webhooks.md lists them) to each
 * subscription's URL, signed the Standard Webhooks way with the secret held in the
 * environment variable `secret` names (`whsec_<base64>`; a missing one stops start-up).
 * Each subscription gets its events one at a time, in order, retried for `retryFor`.
 *
 * Example:
 *
 *   {
 *     id: 'warehouse',
 *     url: 'https://ingest.example.com/firebreak',
 *     events: ['incident.opened', 'incident.resolved', 'incident.closed'],
 *     secret: 'WEBHOOK_SECRET_WAREHOUSE',
 *     description: 'Incident facts for the data warehouse',
 *     headers: { 'x-source': 'firebreak' },
 *     retryFor: '24 hours',
 *   },
 *   { id: 'cmdb', url: 'https://cmdb.example.com/hooks/firebreak', events: '*', secret: 'WEBHOOK_SECRET_CMDB' },
 */
export default defineWebhooks([]);
