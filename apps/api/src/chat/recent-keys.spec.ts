import { RecentKeys } from './recent-keys';

describe('RecentKeys', () => {
  it('says a key was seen until it expires, and holds at most its capacity', () => {
    let now = 0;
    const keys = new RecentKeys(1_000, 2, () => now);
    expect(keys.add('a')).toBe('added');
    expect(keys.add('a')).toBe('seen');
    now = 500;
    expect(keys.add('b')).toBe('added');
    // Full of fresh keys: a new one is refused, and no old one is forgotten.
    expect(keys.add('c')).toBe('full');
    expect(keys.has('a')).toBe(true);
    now = 1_000;
    // 'a' has expired: room for 'c'; 'a' counts as new again.
    expect(keys.add('c')).toBe('added');
    expect(keys.has('a')).toBe(false);
    expect(keys.size).toBe(2);
    now = 2_000;
    expect(keys.add('a')).toBe('added');
    expect(keys.size).toBe(1);
  });
});
