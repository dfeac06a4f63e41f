import fc from 'fast-check';
import { z } from 'zod';
import { utf8Bytes } from '../../core/model/text';
import { codePoints, type JsonSchema, maxSizeArbitrary } from './json-schema-arbitrary';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

const sample = z.object({
  name: z.string().min(3).max(40),
  slug: z.string().regex(/^[a-z][a-z0-9-]{2,20}$/),
  note: z.string().max(2000).optional(),
  free: z.string().min(1),
  email: z.email(),
  count: z.number().int().min(0).max(50).default(5),
  ratio: z.number().gt(0).lt(1),
  stage: z.enum(['open', 'closed']),
  kind: z.literal('x'),
  flag: z.boolean().default(false),
  tags: z.array(z.string().min(1).max(10)).min(1).max(7),
  owners: z.array(z.string().min(1)).default([]),
  byName: z.record(z.string().min(1).max(30), z.enum(['up', 'down'])).default({}),
  either: z.union([z.string().max(5), z.number().int().max(3)]),
  maybe: z.string().max(9).nullable(),
});

describe('maxSizeArbitrary', () => {
  const schema = jsonSchema(sample);

  it('generates only values the source schema accepts', () => {
    fc.assert(
      fc.property(maxSizeArbitrary(schema, { unboundedLength: 300, unboundedItems: 4, unboundedProperties: 5 }), (value) => {
        const parsed = sample.safeParse(value);
        if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
      }),
      { numRuns: 200 },
    );
  });

  it('reaches every maximum, and the unbounded fallbacks it was given', () => {
    const values = fc.sample(maxSizeArbitrary(schema, { unboundedLength: 300, unboundedItems: 4, unboundedProperties: 5 }), { numRuns: 200, seed: 42 }) as Array<
      z.input<typeof sample>
    >;
    const seen = (check: (value: z.input<typeof sample>) => boolean) => values.some(check);
    expect(seen((value) => codePoints(value.name) === 40)).toBe(true);
    expect(seen((value) => codePoints(value.note ?? '') === 2000)).toBe(true);
    expect(seen((value) => codePoints(value.free) === 300)).toBe(true);
    expect(seen((value) => value.count === 50)).toBe(true);
    expect(seen((value) => value.tags.length === 7)).toBe(true);
    expect(seen((value) => value.owners?.length === 4)).toBe(true);
    expect(seen((value) => Object.keys(value.byName ?? {}).length === 5)).toBe(true);
    expect(seen((value) => value.note === undefined)).toBe(true);
    expect(seen((value) => value.flag === undefined)).toBe(true);
    expect(seen((value) => value.stage === 'closed') && seen((value) => value.stage === 'open')).toBe(true);
    // Multibyte text: more UTF-8 bytes than code points, and emoji (two UTF-16 units each).
    expect(seen((value) => utf8Bytes(value.name) > codePoints(value.name))).toBe(true);
    expect(seen((value) => /\p{Extended_Pictographic}/u.test(value.free))).toBe(true);
    expect(seen((value) => value.free.includes('<!channel>') || value.free.includes('*_{[|'))).toBe(true);
  });

  it('keeps a byte bound on every string', () => {
    const bytes = z.object({ text: z.string().min(1) });
    fc.assert(
      fc.property(maxSizeArbitrary(jsonSchema(bytes), { unboundedLength: 5000, maxBytes: 1024 }), (value) => {
        expect(utf8Bytes((value as { text: string }).text)).toBeLessThanOrEqual(1024);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses keywords it does not know rather than guess', () => {
    expect(() => maxSizeArbitrary({ type: 'object', allOf: [{ type: 'object' }] })).toThrow(/unsupported keywords allOf/);
    expect(() => maxSizeArbitrary({ type: 'string', format: 'ipv6' })).toThrow(/format "ipv6"/);
  });
});
