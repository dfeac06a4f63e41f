/**
 * The n8n workflow the peer runs, equivalent to the baseline's alert → first action: a
 * Webhook node taking the alert by POST, then one HTTP Request node POSTing the alert's id
 * and key to the bench's receiver. Written as `n8n import:workflow` reads it.
 */

/**
 * When n8n answers the webhook's POST (the Webhook node's `responseMode`):
 * - `lastNode`: once the workflow has finished, so after the HTTP action was sent and
 *   answered. A 2xx then promises the action has happened: the closest n8n comes to
 *   Firebreak's 202 ("it will happen, whatever crashes"), because n8n does not resume an
 *   execution that a crash interrupted.
 * - `onReceived`: as soon as the execution has started, in memory; a 2xx promises nothing
 *   that survives a crash of n8n.
 */
export const N8N_RESPONSE_MODES = ['lastNode', 'onReceived'] as const;
export type N8nResponseMode = (typeof N8N_RESPONSE_MODES)[number];

/** The body the bench POSTs to the webhook, and the HTTP action carries on to the receiver. */
export interface PeerAlert {
  id: string;
  key: string;
}

export interface N8nWorkflowOptions {
  /** n8n's workflow id: 16 letters and digits. */
  id: string;
  /** The webhook's path: n8n serves it at `/webhook/<path>`. */
  path: string;
  /** Where the HTTP Request node POSTs. */
  receiverUrl: string;
  responseMode: N8nResponseMode;
}

const WEBHOOK = 'Alert webhook';
const ACTION = 'First action';

/** Node types and the versions the workflow was written against (n8n 2.40). */
const WEBHOOK_NODE = { type: 'n8n-nodes-base.webhook', typeVersion: 2 };
const HTTP_NODE = { type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2 };

/** A workflow id n8n accepts, derived from `seed` (letters and digits, 16 of them). */
export function n8nWorkflowId(seed: string): string {
  const id = seed.replace(/[^A-Za-z0-9]/g, '').slice(-16);
  return id.padStart(16, 'B');
}

/** A workflow as n8n exports and imports it (the fields the bench writes). */
export interface N8nWorkflow {
  id: string;
  name: string;
  active: boolean;
  settings: Record<string, unknown>;
  nodes: Array<{
    id: string;
    name: string;
    type: string;
    typeVersion: number;
    position: [number, number];
    webhookId?: string;
    parameters: Record<string, unknown>;
  }>;
  /** Per source node's name, its outputs, each a list of the nodes it feeds. */
  connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
}

/** The workflow, as one element of what `n8n import:workflow --input=<file>` takes. */
export function n8nBenchWorkflow({ id, path, receiverUrl, responseMode }: N8nWorkflowOptions): N8nWorkflow {
  if (!/^[A-Za-z0-9]{16}$/.test(id)) throw new Error(`n8n workflow id ${id}: 16 letters and digits`);
  if (!/^[A-Za-z0-9-]+$/.test(path)) throw new Error(`webhook path ${path}: letters, digits and dashes`);
  return {
    id,
    name: 'Firebreak bench: alert → first action',
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: 'c3b0f4a2-6a6e-4b8e-9a51-0d1b1e0a0001',
        name: WEBHOOK,
        ...WEBHOOK_NODE,
        position: [0, 0],
        webhookId: `${path}-webhook`,
        parameters: { httpMethod: 'POST', path, responseMode, options: {} },
      },
      {
        id: 'c3b0f4a2-6a6e-4b8e-9a51-0d1b1e0a0002',
        name: ACTION,
        ...HTTP_NODE,
        position: [240, 0],
        parameters: {
          method: 'POST',
          url: receiverUrl,
          sendBody: true,
          specifyBody: 'json',
          jsonBody: '={{ JSON.stringify({ id: $json.body.id, key: $json.body.key }) }}',
          options: {},
        },
      },
    ],
    connections: { [WEBHOOK]: { main: [[{ node: ACTION, type: 'main', index: 0 }]] } },
  };
}
