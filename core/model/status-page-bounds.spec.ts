import fc from 'fast-check';
import { OpenStatusIncidentInputSchema, UpdateStatusIncidentInputSchema } from '../schemas/capabilities/status-page';
import { STATUS_PAGE_BOUNDS, fitStatusText } from './status-page-bounds';
import { utf8Bytes } from './text';
import { hasTextForbidden } from './text';

describe('status page text fitting', () => {
  it('fits any text within the byte bound, free of control characters, and fitting again changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3_000 }), fc.integer({ min: 8, max: 2_000 }), (text, max) => {
        const fitted = fitStatusText(text, max);
        expect(utf8Bytes(fitted)).toBeLessThanOrEqual(max);
        expect(fitStatusText(fitted, max)).toBe(fitted);
        expect(hasTextForbidden(fitted)).toBe(false);
      }),
    );
  });

  it('takes titles and messages of any length in step inputs, fitted rather than refused', () => {
    const open = OpenStatusIncidentInputSchema.parse({
      idempotencyKey: 'k',
      incidentId: 'inc-1',
      title: `Checkout ${'x'.repeat(10_000)}`,
      message: '🔥'.repeat(100_000),
    });
    expect(utf8Bytes(open.title)).toBeLessThanOrEqual(STATUS_PAGE_BOUNDS.titleBytes);
    expect(open.title.endsWith('…')).toBe(true);
    expect(utf8Bytes(open.message)).toBeLessThanOrEqual(STATUS_PAGE_BOUNDS.messageBytes);
    expect(open.message).toMatch(/^(🔥)+…$/u);
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`c${i}`, 'operational']));
    expect(UpdateStatusIncidentInputSchema.safeParse({ idempotencyKey: 'k', statusIncidentId: 'SP-1', status: 'monitoring', message: 'x', components: tooMany }).success).toBe(
      false,
    );
  });
});
