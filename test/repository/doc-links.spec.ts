/**
 * Every relative link in the README and in docs/ points at a file that exists, and a link
 * with a `#fragment` at a heading of that file (GitHub's anchors), so moving or renaming a
 * page or a heading cannot leave a reader at a dead end.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function markdownFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const withoutFences = (markdown: string) => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');

/** The text outside fenced code blocks and inline code, where links are links. */
const prose = (markdown: string) => withoutFences(markdown).replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const anchor = anchorOf(heading!);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

/** Problems with the relative links of one Markdown file, each naming the link. */
function brokenLinks(file: string, markdown = readFileSync(file, 'utf8')): string[] {
  const problems: string[] = [];
  for (const [, target] of prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue;
    const [path, fragment] = target!.split('#', 2) as [string, string | undefined];
    const where = `${relative(ROOT, file)}: (${target})`;
    const linked = path && resolve(dirname(file), decodeURIComponent(path));
    if (linked && !existsSync(linked)) problems.push(`${where} points at a missing file`);
    else if (fragment) {
      const headings = linked ? (statSync(linked).isFile() ? readFileSync(linked, 'utf8') : '') : markdown;
      if (!anchorsOf(headings).has(fragment)) problems.push(`${where} points at a missing heading`);
    }
  }
  return problems;
}

describe('documentation links', () => {
  const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];

  it.each(files.map((file) => [relative(ROOT, file), file]))('%s links to files and headings that exist', (_, file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it('finds a broken file link and a broken heading link, and only those', () => {
    const page = join(ROOT, 'docs', 'page.md');
    const markdown = [
      '[gone](missing.md) [no heading](api.md#no-such-heading) [fine](api.md#routes)',
      '[web](https://temporal.io) [here](#top) `[code](nowhere.md)`',
      '# Top',
      '```',
      '[fenced](nowhere.md)',
      '```',
    ].join('\n');
    expect(brokenLinks(page, markdown)).toEqual([
      'docs/page.md: (missing.md) points at a missing file',
      'docs/page.md: (api.md#no-such-heading) points at a missing heading',
    ]);
    expect(anchorOf('One machine: what `npm start` does')).toBe('one-machine-what-npm-start-does');
  });
});
