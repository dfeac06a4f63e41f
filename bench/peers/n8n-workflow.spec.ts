import { n8nBenchWorkflow, n8nWorkflowId } from './n8n-workflow';

describe('n8nBenchWorkflow', () => {
  const workflow = n8nBenchWorkflow({ id: 'FirebreakBench01', path: 'bench-alert', receiverUrl: 'http://127.0.0.1:4000/action', responseMode: 'lastNode' });

  it('takes the alert by POST on its path and answers when the last node has run', () => {
    const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
    expect(webhook?.parameters).toMatchObject({ httpMethod: 'POST', path: 'bench-alert', responseMode: 'lastNode' });
  });

  it('POSTs the alert id and key to the receiver in one HTTP action after the webhook', () => {
    const action = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.httpRequest');
    expect(action?.parameters).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:4000/action', sendBody: true, specifyBody: 'json' });
    expect(action?.parameters.jsonBody).toContain('$json.body.id');
    expect(action?.parameters.jsonBody).toContain('$json.body.key');
    const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!;
    expect(workflow.connections[webhook.name].main).toEqual([[{ node: action!.name, type: 'main', index: 0 }]]);
    expect(workflow.nodes).toHaveLength(2);
  });

  it('is imported inactive (the bench publishes it) and refuses ids and paths n8n would not take', () => {
    expect(workflow.active).toBe(false);
    expect(() => n8nBenchWorkflow({ id: 'short', path: 'p', receiverUrl: 'http://x/', responseMode: 'lastNode' })).toThrow(/16 letters/);
    expect(() => n8nBenchWorkflow({ id: 'FirebreakBench01', path: 'a/b', receiverUrl: 'http://x/', responseMode: 'lastNode' })).toThrow(/webhook path/);
  });

  it('derives a 16-character id from any seed', () => {
    expect(n8nWorkflowId('bench-mh3x9')).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(n8nWorkflowId('bench-mh3x9')).toBe('BBBBBBbenchmh3x9');
    expect(n8nWorkflowId('x'.repeat(40))).toBe('x'.repeat(16));
  });
});
