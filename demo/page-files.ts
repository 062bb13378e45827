import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file of demo/pages, read once at start-up. */
export interface PageFile {
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The folder beside this module: demo/pages under jest (demo/*.ts) and
 * demo/dist/pages after `npm run build:demo`, which copies it there (tsc
 * copies no .html or .js).
 */
export const PAGES_DIR = fileURLToPath(new URL('./pages/', import.meta.url));

/** The demo's static pages and assets by file name; only what the folder holds can be served. */
export function readPageFiles(dir: string = PAGES_DIR): ReadonlyMap<string, PageFile> {
  const files = new Map<string, PageFile>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new Error(`the demo's pages are not in ${dir}: build the demo with \`npm run build:demo\`, which copies them there`);
  }
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { type, body: readFileSync(join(dir, name)) });
  }
  return files;
}
