import { DEFAULT_PRIORITY_MATRIX, priorityFor } from './priority';

describe('priority matrix', () => {
  it('gives P1 for wide, urgent impact and P5 for narrow, deferrable impact', () => {
    expect(priorityFor('high', 'high')).toBe('P1');
    expect(priorityFor('medium', 'medium')).toBe('P3');
    expect(priorityFor('low', 'low')).toBe('P5');
    expect(priorityFor('high', 'low')).toBe('P3');
    expect(priorityFor('low', 'high')).toBe('P3');
  });

  it('uses a configured matrix', () => {
    const strict = { ...DEFAULT_PRIORITY_MATRIX, low: { high: 'P2', medium: 'P2', low: 'P2' } } as const;
    expect(priorityFor('low', 'low', strict)).toBe('P2');
  });
});
