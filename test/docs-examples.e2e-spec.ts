import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The ```ts blocks a page marks `<!-- compile: name.ts -->`, as files of one small project. */
function examplesOf(page: string): Map<string, string> {
  const files = new Map<string, string>();
  const text = readFileSync(join(root, page), 'utf8');
  for (const match of text.matchAll(/<!-- compile: ([\w.-]+\.ts) -->\s*```ts\n([\s\S]*?)```/g)) files.set(match[1]!, match[2]!);
  return files;
}

/**
 * The examples of the README and of the getting-started page compile as
 * written, as a user's code: `strict` TypeScript (property initialization
 * included), importing the built package by name (dist/'s declarations).
 */
describe.each(['README.md', 'docs/getting-started.md'])('the examples of %s', (page) => {
  it('compile under strict against the built package', () => {
    const files = examplesOf(page);
    expect(files.size).toBeGreaterThan(0);
    const dir = join(root, `.tmp-docs-${page.replace(/\W/g, '-')}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      for (const [name, code] of files) writeFileSync(join(dir, name), code);
      const program = ts.createProgram(
        [...files.keys()].map((name) => join(dir, name)),
        {
          strict: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.NodeNext,
          moduleResolution: ts.ModuleResolutionKind.NodeNext,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
      );
      const problems = ts
        .getPreEmitDiagnostics(program)
        .map((d) => `${d.file ? d.file.fileName.slice(dir.length + 1) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
