import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, UsageError } from '../cli-error.js';
import { oneLine } from '../one-line.js';

/** The root module to boot, and how to name it in messages. */
export interface AppModuleRef {
  module: object;
  name: string;
}

const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Loads `<module file>[#ExportName]` (relative to the working directory):
 * the named export, else `AppModule` (Nest's convention), else the default
 * export, else the file's only export. The file must be JavaScript Node can import (the app's build
 * output), or TypeScript when node runs with a loader that compiles it.
 */
export async function loadAppModule(spec: string): Promise<AppModuleRef> {
  const hash = spec.lastIndexOf('#');
  const named = hash > 0 && EXPORT_NAME.test(spec.slice(hash + 1));
  const file = named ? spec.slice(0, hash) : spec;
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`--app: ${file} does not exist`);

  let namespace: Record<string, unknown>;
  try {
    namespace = await import(pathToFileURL(path).href);
  } catch (error) {
    const hint =
      (error as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? ' (point --app at the built JavaScript, e.g. dist/app.module.js, or run node with a TypeScript loader)'
        : '';
    throw new CliError(`--app: ${file} could not be loaded: ${oneLine(error)}${hint}`);
  }
  // A CommonJS file's exports also sit on `default`.
  const exported = (name: string) => namespace[name] ?? (namespace.default as Record<string, unknown> | undefined)?.[name];
  const only = Object.keys(namespace).length === 1 ? Object.keys(namespace) : [];
  const name = named ? spec.slice(hash + 1) : ['AppModule', 'default', ...only].find((candidate) => exported(candidate) !== undefined);
  const module = name === undefined ? undefined : exported(name);
  if (module === undefined) {
    const what = named ? `no export named ${name}` : 'no AppModule, no default export and more than one export';
    throw new UsageError(
      `--app: ${file} has ${what} (exports: ${Object.keys(namespace).join(', ') || 'none'}); name it as ${file}#ExportName`,
    );
  }
  // A module class, or a dynamic module ({ module, imports, ... }).
  if (typeof module !== 'function' && !(typeof module === 'object' && module !== null && 'module' in module)) {
    throw new UsageError(`--app: ${name} in ${file} is not a Nest module`);
  }
  return { module, name: `${name} (${file})` };
}
