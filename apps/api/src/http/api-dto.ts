import { createZodDto, type ZodDto } from 'nestjs-zod';
import type { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * `createZodDto` whose OpenAPI document states nullable fields the OpenAPI 3.0 way.
 *
 * zod writes a nullable field as `type: ['string', 'null']` (JSON Schema 2020-12), and
 * @nestjs/swagger reads a `type` array as "an array of": `string | null` would be
 * documented as `string[]`. This DTO hands swagger `type: 'string', nullable: true` instead
 * (and `anyOf` without its `null` member, plus `nullable: true`), at every depth.
 */
export function createApiDto<TSchema extends z.ZodType>(schema: TSchema): ZodDto<TSchema, false> {
  const Dto = createZodDto(schema);
  const metadata = Dto._OPENAPI_METADATA_FACTORY.bind(Dto);
  Object.defineProperty(Dto, '_OPENAPI_METADATA_FACTORY', {
    value: () =>
      Object.fromEntries(Object.entries(metadata() as Record<string, JsonSchema>).map(([name, property]) => [name, openApiNullable(property)])),
  });
  return Dto;
}

/** `property` with every JSON Schema 2020-12 nullable rewritten as OpenAPI 3.0's `nullable: true`. */
export function openApiNullable(property: JsonSchema): JsonSchema {
  const schema: JsonSchema = { ...property };
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const types = (schema.type as string[]).filter((type) => type !== 'null');
    if (types.length === 1) schema.type = types[0];
    else {
      delete schema.type;
      schema.anyOf = types.map((type) => ({ type }));
    }
    schema.nullable = true;
    // nestjs-zod marks a property with a non-string `type` to drop its placeholder type later.
    delete schema['x-nestjs_zod-empty-type'];
  }
  if (Array.isArray(schema.anyOf) && schema.anyOf.some((member: JsonSchema) => member.type === 'null')) {
    const members = (schema.anyOf as JsonSchema[]).filter((member) => member.type !== 'null');
    delete schema.anyOf;
    if (members.length === 1) Object.assign(schema, members[0]);
    else schema.anyOf = members;
    schema.nullable = true;
    if (schema.type === '') delete schema.type;
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    if (isSchema(schema[key])) schema[key] = openApiNullable(schema[key]);
  }
  if (isSchema(schema.properties)) {
    schema.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, value]) => [name, isSchema(value) ? openApiNullable(value) : value]),
    );
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(schema[key])) schema[key] = (schema[key] as unknown[]).map((member) => (isSchema(member) ? openApiNullable(member) : member));
  }
  return schema;
}

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
