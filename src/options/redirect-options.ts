import { parseAllowedHost, redirectPolicy, safeConfiguredRedirect } from '../http/safe-redirect.js';
import type { ResolvedSecurityOptions } from '../security.options.js';

/**
 * Start-up checks of the redirect options: every allowed host is a host,
 * and every configured `redirects.*` target passes the check a `next`
 * must pass (a path under appUrl, or an absolute URL on an allowed host),
 * so that no configuration sends a browser where a `next` could not.
 */
export function redirectOptionProblems(options: ResolvedSecurityOptions): string[] {
  const problems: string[] = [];
  const hosts: unknown = options.redirectAllowedHosts;
  if (!Array.isArray(hosts)) {
    problems.push('redirectAllowedHosts must be a list of hosts ("spa.example.com", "localhost:5173")');
    return problems;
  }
  for (const host of hosts) {
    if (!parseAllowedHost(host))
      problems.push(`redirectAllowedHosts: "${String(host)}" is not a host ("spa.example.com", "localhost:5173")`);
  }
  let policy;
  try {
    policy = redirectPolicy(options);
  } catch {
    return problems; // appUrl is reported by itself
  }
  for (const [name, target] of Object.entries(options.redirects ?? {})) {
    if (target === undefined || target === null || target === '') continue;
    if (typeof target !== 'string' || !safeConfiguredRedirect(target, policy)) {
      problems.push(
        `redirects.${name}: "${String(target)}" is not a safe redirect (a path, or an http(s) URL on appUrl's host or redirectAllowedHosts)`,
      );
    }
  }
  return problems;
}
