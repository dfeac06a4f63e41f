import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Recorded histories are the project's, not a machine's: no absolute path of where they were recorded. */
describe('recorded histories', () => {
  const dir = join(__dirname, '..', 'histories');

  it.each(readdirSync(dir).filter((file) => file.endsWith('.json')))('%s names no path of the machine that recorded it', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text.match(/(?:\/work\/|\/root\/|\/home\/|\/tmp\/|[A-Z]:\\\\Users)[^"\s]*/g) ?? []).toEqual([]);
  });
});
