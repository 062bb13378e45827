import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A page or asset as it is served. */
export interface PageFile {
  type: string;
  body: Buffer;
}

const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The folder beside this module: demo/pages under jest (demo/*.ts) and
 * demo/dist/pages after `npm run build:demo`, which copies it there (tsc
 * copies no .html or .js).
 */
export const PAGES_DIR = fileURLToPath(new URL('./pages/', import.meta.url));

/**
 * The demo's pages and assets, read once at start-up from demo/pages: each
 * page is its own `<name>.html` (the content of its <main>) inside
 * layout.html, with its own script `<name>.js`; only what the folder
 * holds can be served.
 */
export class DemoPages {
  private readonly assets = new Map<string, PageFile>();
  /** Each page's content, by name. */
  private readonly contents = new Map<string, string>();
  private readonly pages = new Map<string, PageFile>();
  private readonly layout: string;

  constructor(dir: string = PAGES_DIR) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      throw new Error(`the demo's pages are not in ${dir}: build the demo with \`npm run build:demo\`, which copies them there`);
    }
    for (const name of names) {
      const type = ASSET_TYPES[extname(name)];
      if (type) this.assets.set(name, { type, body: readFileSync(join(dir, name)) });
      else if (extname(name) === '.html') this.contents.set(name.slice(0, -'.html'.length), readFileSync(join(dir, name), 'utf8'));
    }
    this.layout = this.contents.get('layout')!;
  }

  asset(name: string): PageFile | undefined {
    return this.assets.get(name);
  }

  /** The page `name` inside the layout, with its title (trusted text: the controller's). */
  page(name: string, title: string): PageFile {
    let page = this.pages.get(name);
    const content = this.contents.get(name);
    if (!page && content !== undefined && name !== 'layout') {
      const html = this.layout
        .replaceAll('{{title}}', title)
        .replace('{{script}}', `${name}.js`)
        .replace('{{content}}', () => content.trimEnd().replaceAll('\n', '\n      '));
      page = { type: 'text/html; charset=utf-8', body: Buffer.from(html) };
      this.pages.set(name, page);
    }
    if (!page) throw new Error(`no demo page ${name}.html in demo/pages`);
    return page;
  }
}
