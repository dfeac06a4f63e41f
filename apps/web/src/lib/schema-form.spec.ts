import { z } from 'zod';
import { fieldOfIssue, fieldsOf, initialValues, inputOf, type JsonSchema } from './schema-form';

/** A runbook input as GET /v1/runbooks hands it out: zod's JSON Schema of the input side. */
const schemaOf = (input: z.ZodType) => z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

const Input = z.object({
  cluster: z.string().min(1),
  replicas: z.number().int().min(1).max(50).default(2).describe('How many tasks to run.'),
  ratio: z.number().optional(),
  environment: z.enum(['staging', 'production']).default('production'),
  stage: z.enum(['investigating', 'resolved']),
  dryRunFirst: z.boolean().default(true),
  approvers: z.array(z.enum(['viewer', 'responder', 'admin'])).default(['admin']),
  responders: z.array(z.string().min(1)).default([]),
  tags: z.record(z.string().min(1), z.string().max(256)).optional(),
  components: z.record(z.string(), z.enum(['operational', 'major_outage'])).default({}),
  details: z.string().max(2000).optional(),
  title: z.string().min(3).max(200).nullable().optional(),
  limits: z.object({ cpu: z.number() }).optional(),
  timeoutSeconds: z.number().int().min(1).default(3600),
});

describe('a runbook input form from its JSON Schema', () => {
  const schema = schemaOf(Input);
  const fields = fieldsOf(schema);
  const byName = Object.fromEntries(fields.map((field) => [field.name, field]));

  it('has one field per property, in order, each edited the way its type says', () => {
    expect(fields.map((field) => [field.name, field.kind])).toEqual([
      ['cluster', 'text'],
      ['replicas', 'integer'],
      ['ratio', 'number'],
      ['environment', 'choice'],
      ['stage', 'choice'],
      ['dryRunFirst', 'boolean'],
      ['approvers', 'choices'],
      ['responders', 'list'],
      ['tags', 'map'],
      ['components', 'map'],
      ['details', 'textarea'],
      ['title', 'text'],
      ['limits', 'json'],
      ['timeoutSeconds', 'integer'],
    ]);
  });

  it('says what is required, the bounds, the choices and the description', () => {
    expect(fields.filter((field) => field.required).map((field) => field.name)).toEqual(['cluster', 'stage']);
    expect(byName.replicas).toMatchObject({ label: 'Replicas', description: 'How many tasks to run.', bounds: 'a whole number, 1 to 50', minimum: 1, maximum: 50 });
    // zod's safe-integer ceiling is no bound a person set.
    expect(byName.timeoutSeconds).toMatchObject({ label: 'Timeout seconds', bounds: 'a whole number, at least 1', minimum: 1, maximum: undefined });
    expect(byName.title).toMatchObject({ bounds: '3 to 200 characters', maxLength: 200 });
    expect(byName.stage.options).toEqual(['investigating', 'resolved']);
    expect(byName.approvers.options).toEqual(['viewer', 'responder', 'admin']);
    expect(byName.components.options).toEqual(['operational', 'major_outage']);
    expect(byName.tags.options).toBeUndefined();
  });

  it('starts from the defaults', () => {
    expect(initialValues(schema)).toEqual({
      cluster: '',
      replicas: '2',
      ratio: '',
      environment: 'production',
      stage: '',
      dryRunFirst: true,
      approvers: ['admin'],
      responders: '',
      tags: '',
      components: '',
      details: '',
      title: '',
      limits: '',
      timeoutSeconds: '3600',
    });
  });

  it('turns the values into input the runbook accepts, leaving out what was left empty', () => {
    const values = {
      ...initialValues(schema),
      cluster: ' prod-eu ',
      stage: 'resolved',
      replicas: '7',
      responders: 'alice\n\n bob \n',
      tags: 'service=checkout\nteam = payments',
      components: 'api=major_outage',
      details: '  spaced  ',
      limits: '{"cpu": 2}',
    };
    const input = inputOf(fields, values);
    expect(input).toEqual({
      cluster: 'prod-eu',
      replicas: 7,
      environment: 'production',
      stage: 'resolved',
      dryRunFirst: true,
      approvers: ['admin'],
      responders: ['alice', 'bob'],
      tags: { service: 'checkout', team: 'payments' },
      components: { api: 'major_outage' },
      details: '  spaced  ',
      limits: { cpu: 2 },
      timeoutSeconds: 3600,
    });
    expect(Input.safeParse(input).success).toBe(true);
  });

  it('sends what is not a number or not JSON as it was typed, for the API to name the field', () => {
    const input = inputOf(fields, { ...initialValues(schema), cluster: 'c', stage: 'resolved', replicas: 'many', limits: '{cpu' });
    expect(input).toMatchObject({ replicas: 'many', limits: '{cpu' });
    const issues = Input.safeParse(input).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues).toEqual(['replicas', 'limits']);
  });

  it('puts the API’s issues at their fields', () => {
    expect(fieldOfIssue('input.replicas', fields)).toBe('replicas');
    expect(fieldOfIssue('input.tags.team', fields)).toBe('tags');
    expect(fieldOfIssue('input.unknown', fields)).toBeUndefined();
    expect(fieldOfIssue('input', fields)).toBeUndefined();
    expect(fieldOfIssue('incidentId', fields)).toBeUndefined();
  });

  it('takes the non-null member of a nullable property, and a schema with no properties has no fields', () => {
    expect(fieldsOf({ type: 'object', properties: { at: { anyOf: [{ type: 'string', description: 'When.' }, { type: 'null' }] } } })).toEqual([
      { name: 'at', label: 'At', kind: 'text', required: false, description: 'When.' },
    ]);
    expect(fieldsOf({ type: 'object' })).toEqual([]);
  });
});
