import { pathToFileURL } from 'node:url';

/**
 * A module of the built package (`dist/<path>`), or of another build when the
 * environment variable names one (to compare two builds in one run).
 */
export function loadDist(path, overrideVariable) {
  const override = process.env[overrideVariable];
  return import(override ? pathToFileURL(override).href : new URL(`../dist/${path}`, import.meta.url).href);
}
