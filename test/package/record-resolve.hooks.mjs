// Module customization hooks (node:module register): every URL the ESM loader
// resolves is appended to the file named in `data.file`, synchronously, so the
// list is complete as soon as the import that caused it has settled.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(file, result.url + '\n');
  return result;
}
