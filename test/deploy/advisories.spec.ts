import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Known advisories stay out of the lock: form-data's predictable multipart boundary
 * (fixed in 2.5.4, 3.0.4 and 4.0.4) and tough-cookie's prototype pollution (fixed in 4.1.3),
 * both pulled by the Jira client. `overrides` in package.json keep them out.
 */
const FIXED: Record<string, Array<[major: number, fixed: string]>> = {
  'form-data': [
    [2, '2.5.4'],
    [3, '3.0.4'],
    [4, '4.0.4'],
  ],
  'tough-cookie': [
    [2, '4.1.3'],
    [3, '4.1.3'],
    [4, '4.1.3'],
  ],
};

const parse = (version: string) => version.split('.').map((part) => Number.parseInt(part, 10));
const atLeast = (version: string, fixed: string) => {
  const [a, b] = [parse(version), parse(fixed)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
};

describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };

  it.each(Object.keys(FIXED))('holds no %s version with a known advisory', (name) => {
    const installed = Object.entries(lock.packages)
      .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
      .map(([path, entry]) => ({ path, version: entry.version ?? '' }));
    expect(installed.length).toBeGreaterThan(0);
    const vulnerable = installed.filter(({ version }) => {
      const major = parse(version)[0];
      const rule = FIXED[name].find(([m]) => m === major);
      return rule ? !atLeast(version, rule[1]) : major < FIXED[name][0][0];
    });
    expect(vulnerable).toEqual([]);
  });
});
