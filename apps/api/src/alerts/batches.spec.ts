import { MAX_BATCH, MAX_BATCH_BYTES, takeBatch } from './batches';

const items = (...sizes: number[]) => sizes.map((bytes, index) => ({ index, bytes }));

describe('takeBatch', () => {
  it('takes up to MAX_BATCH small items, leaving the rest in order', () => {
    const list = items(...Array.from({ length: MAX_BATCH + 5 }, () => 10));
    expect(takeBatch(list).map(({ index }) => index)).toEqual(Array.from({ length: MAX_BATCH }, (_, i) => i));
    expect(list.map(({ index }) => index)).toEqual([100, 101, 102, 103, 104]);
  });

  it('stops before the item that would pass MAX_BATCH_BYTES', () => {
    const third = Math.floor(MAX_BATCH_BYTES / 3);
    const list = items(third, third, third, third);
    expect(takeBatch(list)).toHaveLength(3);
    expect(takeBatch(list)).toHaveLength(1);
    expect(list).toHaveLength(0);
  });

  it('always takes one item, even one larger than the byte budget', () => {
    const list = items(MAX_BATCH_BYTES + 1, 10);
    expect(takeBatch(list).map(({ index }) => index)).toEqual([0]);
    expect(takeBatch(list).map(({ index }) => index)).toEqual([1]);
  });

  it('takes nothing from an empty list', () => {
    expect(takeBatch([])).toEqual([]);
  });
});
