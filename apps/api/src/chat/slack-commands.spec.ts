import { z } from 'zod';
import { type InputJsonSchema, inputFromPairs, readIncidentCommand, readRunbookCommand } from './slack-commands';

describe('reading slash commands', () => {
  it.each([
    ['declare Checkout is down SEV1', { verb: 'declare', title: 'Checkout is down', severity: 'SEV1' }],
    ['declare   Checkout   is down   sev2 ', { verb: 'declare', title: 'Checkout   is down', severity: 'SEV2' }],
    ['declare Checkout is down', { verb: 'declare', title: 'Checkout is down', severity: 'SEV3' }],
    ['declare SEV2 of the database', { verb: 'declare', title: 'SEV2 of the database', severity: 'SEV3' }],
    ['ACK', { verb: 'ack' }],
    ['acknowledge', { verb: 'ack' }],
    ['resolve', { verb: 'resolve' }],
    ['note  Rolling back\n7.2', { verb: 'note', text: 'Rolling back\n7.2' }],
    ['status', { verb: 'status' }],
  ])('/incident %j', (text, expected) => {
    expect(readIncidentCommand(text)).toEqual(expected);
  });

  it.each([
    ['', /say what to do/],
    ['declare', /say what is wrong/],
    ['declare SEV1', /say what is wrong/],
    ['note', /write the note/],
    ['dance', /no such command "dance"/],
  ])('/incident %j is not understood', (text, problem) => {
    expect(readIncidentCommand(text)).toEqual({ problem: expect.stringMatching(problem) });
  });

  it('reads /runbook run with key=value pairs, quoted values whole', () => {
    expect(readRunbookCommand('run status-page-update stage=identified details="Rollback under way" title=\u201cSearch slow\u201d')).toEqual({
      verb: 'run',
      runbookId: 'status-page-update',
      pairs: [
        ['stage', 'identified'],
        ['details', 'Rollback under way'],
        ['title', 'Search slow'],
      ],
    });
    expect(readRunbookCommand('run x a=1 a=2')).toEqual({ problem: 'a is given twice' });
    expect(readRunbookCommand('run x nonsense')).toEqual({ problem: '"nonsense" is not key=value' });
    expect(readRunbookCommand('run x a="open')).toEqual({ problem: 'a quote is not closed' });
    expect(readRunbookCommand('run')).toEqual({ problem: expect.stringMatching(/name the runbook/) });
    expect(readRunbookCommand('start x')).toEqual({ problem: 'no such command "start"' });
  });

  it('reads each value as its property\'s type says, and leaves what does not fit for the schema to refuse', () => {
    const input = z.object({
      service: z.string(),
      step: z.number().int(),
      dry: z.boolean().default(false),
      responders: z.array(z.string()).default([]),
      ports: z.array(z.number()).default([]),
      components: z.record(z.string(), z.string()).default({}),
      note: z.string().optional(),
    });
    const schema = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as InputJsonSchema;
    const read = inputFromPairs(
      [
        ['service', '42'],
        ['step', '3'],
        ['dry', 'true'],
        ['responders', 'U1, U2'],
        ['ports', '[80,443]'],
        ['components', '{"API":"major_outage"}'],
        ['note', 'true'],
      ],
      schema,
    );
    expect(read).toEqual({ service: '42', step: 3, dry: true, responders: ['U1', 'U2'], ports: [80, 443], components: { API: 'major_outage' }, note: 'true' });
    expect(input.safeParse(read).success).toBe(true);
    const wrong = inputFromPairs([['step', 'three']], schema);
    expect(wrong).toEqual({ step: 'three' });
  });
});
