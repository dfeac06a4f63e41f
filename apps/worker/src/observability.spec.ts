import { Writable } from 'node:stream';
import { createLogger } from '../../api/src/observability/logger';
import { PinoTemporalLogger } from './observability';

describe('PinoTemporalLogger', () => {
  it("writes the SDK's lines as JSON at their level, errors under err, without task tokens or secrets", () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const logger = new PinoTemporalLogger(createLogger({ service: 'firebreak-worker', level: 'info', secrets: ['jira-api-token-0123'], destination }));
    logger.debug('not written at info');
    logger.info('Activity completed', { activityType: 'ticketingCreateTicket', workflowId: 'inc-1', requestId: 'req-1', taskToken: 'CiQwMWEy' });
    logger.log('WARN', 'Activity failed', { error: new Error('Jira refused jira-api-token-0123'), attempt: 2 });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', service: 'firebreak-worker', msg: 'Activity completed', activityType: 'ticketingCreateTicket', workflowId: 'inc-1', requestId: 'req-1' }),
      expect.objectContaining({ level: 'warn', msg: 'Activity failed', attempt: 2, err: expect.objectContaining({ type: 'Error', message: 'Jira refused [redacted]' }) }),
    ]);
    expect(lines[0]).not.toHaveProperty('taskToken');
  });
});
