/**
 * The OpenAPI document says what the API does: a nullable field is its type plus
 * `nullable: true` (never an array of it), an array is an array, and an optional header is
 * `required: false`. Swept over every DTO schema in the document.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { useTestFirebreak } from '../../../test/firebreak';

type Schema = Record<string, any>;

/** Every zod DTO class the API declares, by class name (the document's schema names). */
async function zodDtos(): Promise<Map<string, z.ZodType>> {
  const files: string[] = [];
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.dto.ts')) files.push(path);
    }
  };
  visit(join(__dirname, '..', 'src'));
  const dtos = new Map<string, z.ZodType>();
  for (const file of files) {
    for (const [name, value] of Object.entries((await import(file)) as Record<string, any>)) {
      if (typeof value === 'function' && value.isZodDto && value.schema) dtos.set(name, value.schema);
    }
  }
  return dtos;
}

/** Each property's JSON Schema as zod writes it (2020-12: a nullable field's `type` lists `null`). */
function zodProperties(schema: z.ZodType): Record<string, Schema> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
  return (json.properties ?? {}) as Record<string, Schema>;
}

const allowsNull = (schema: Schema): boolean =>
  (Array.isArray(schema.type) && schema.type.includes('null')) || (Array.isArray(schema.anyOf) && schema.anyOf.some((member: Schema) => member.type === 'null'));

const isArray = (schema: Schema): boolean =>
  schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array')) || (Array.isArray(schema.anyOf) && schema.anyOf.some(isArray));

describe('the OpenAPI document', () => {
  const started = useTestFirebreak();
  let document: Schema;
  beforeAll(async () => {
    document = (await started.viewer.get('/docs-json')).body;
  });

  it('types every nullable field as itself plus nullable, and only arrays as arrays, in every DTO', async () => {
    const dtos = await zodDtos();
    const schemas = document.components.schemas as Record<string, Schema>;
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const [name, documented] of Object.entries(schemas)) {
      const dto = dtos.get(name);
      if (!dto || !documented.properties) continue;
      const expected = zodProperties(dto);
      for (const [property, schema] of Object.entries(documented.properties as Record<string, Schema>)) {
        const truth = expected[property];
        if (!truth) continue;
        checked.push(`${name}.${property}`);
        if (Array.isArray(schema.type)) wrong.push(`${name}.${property}: type is a list`);
        if (isArray(schema) !== isArray(truth)) wrong.push(`${name}.${property}: documented ${isArray(schema) ? '' : 'not '}as an array`);
        if (allowsNull(truth) && schema.nullable !== true) wrong.push(`${name}.${property}: nullable but not marked so`);
        if (!allowsNull(truth) && schema.nullable === true) wrong.push(`${name}.${property}: marked nullable but is not`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['AlertAcceptedDto.incidentId', 'AlertBatchAcceptedDto.incidentId', 'AlertBatchAcceptedDto.incidentIds']));
    expect(wrong).toEqual([]);
    expect(schemas.AlertAcceptedDto.properties.incidentId).toMatchObject({ type: 'string', nullable: true });
  });

  it('marks the Idempotency-Key header of POST /v1/alerts optional, once', () => {
    const headers = (document.paths['/v1/alerts'].post.parameters as Schema[]).filter((parameter) => parameter.in === 'header');
    expect(headers).toEqual([expect.objectContaining({ name: 'Idempotency-Key', required: false })]);
  });

  it('documents the console\'s routes: sessions, the executions list and the heartbeats list', () => {
    expect(Object.keys(document.paths['/v1/session']).sort()).toEqual(['delete', 'get', 'post']);
    expect(document.paths['/v1/session'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SignInDto' });
    expect(document.paths['/v1/session'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SessionAnswerDto' });
    expect(document.components.schemas.SessionAnswerDto.required).toEqual(expect.arrayContaining(['name', 'role', 'expiresAt', 'csrfToken']));
    const filters = (document.paths['/v1/executions'].get.parameters as Schema[]).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
    expect(filters.sort()).toEqual(['awaitingApproval', 'cursor', 'incidentId', 'limit', 'runbook', 'status']);
    expect(document.paths['/v1/executions'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ExecutionPageDto' });
    expect(document.components.schemas.ExecutionPageDto.properties.nextCursor).toMatchObject({ type: 'string', nullable: true });
    expect(document.paths['/v1/heartbeats'].get).toBeDefined();
  });

  it('documents every header parameter once and optional, on every operation', () => {
    const wrong: string[] = [];
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        const headers = ((operation.parameters ?? []) as Schema[]).filter((parameter) => parameter.in === 'header');
        const names = headers.map((header) => String(header.name).toLowerCase());
        if (new Set(names).size !== names.length) wrong.push(`${method.toUpperCase()} ${path}: a header is listed twice`);
        for (const header of headers) if (header.required) wrong.push(`${method.toUpperCase()} ${path}: ${header.name} marked required`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
