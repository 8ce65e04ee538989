// Code cites the project's own docs/, never a file outside the repository: every
// `docs/<file>.md, "<Section>"` named in a comment must exist, with a heading containing that text.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FOLDERS = [
  'activities',
  'bench',
  'bots',
  'desk',
  'domain',
  'fault',
  'runtime',
  'store',
  'temporal-dev',
  'tests',
  'workflows',
];

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'histories' || name === 'fixtures') return [];
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

const files = FOLDERS.flatMap((f) => sources(join(ROOT, f))).filter((f) => !f.endsWith('citations.test.ts'));
const headings = new Map<string, string[]>();
function headingsOf(doc: string): string[] | undefined {
  if (!headings.has(doc)) {
    const path = join(ROOT, doc);
    if (!existsSync(path)) return undefined;
    headings.set(
      doc,
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => l.replace(/^#+ /, '').trim()),
    );
  }
  return headings.get(doc);
}

describe('citations in code', () => {
  it('finds source files to check', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('never cite DESIGN.md or anything outside the repository', () => {
    const outside = files.filter((f) =>
      /DESIGN\.md|seed-hmic-northamptonshire|shared\/evidence/.test(readFileSync(f, 'utf8')),
    );
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('name docs files and sections that exist', () => {
    const broken: string[] = [];
    let cited = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/docs\/([a-z0-9-]+\.md)(?:[,:]?\s*(?:\/\/\s*|\*\s*)?"([^"]+)")?/g)) {
        cited += 1;
        const doc = `docs/${m[1] ?? ''}`;
        // A citation may wrap onto the next comment line.
        const section = m[2]?.replace(/\s*\n\s*(?:\*|\/\/)?\s*/g, ' ');
        const found = headingsOf(doc);
        if (!found) broken.push(`${relative(ROOT, file)}: ${doc} does not exist`);
        else if (section && !found.some((h) => h.includes(section)))
          broken.push(`${relative(ROOT, file)}: ${doc} has no section "${section}"`);
      }
    }
    expect(cited).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});
