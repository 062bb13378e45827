import type { Reflector } from '@nestjs/core';

/**
 * Memoizes what `read` derives from a route's metadata, per handler and
 * controller class (the same handler can serve an inheriting controller).
 * Metadata is fixed once the app is built, so each route is read once.
 * `read` may return null; it must not return undefined.
 */
export function memoizeByRoute<T>(
  read: (reflector: Reflector, handler: Function, controller: Function) => T,
): (reflector: Reflector, handler: Function, controller: Function) => T {
  const cache = new WeakMap<Function, WeakMap<Function, T>>();
  return (reflector, handler, controller) => {
    let byController = cache.get(handler);
    if (!byController) cache.set(handler, (byController = new WeakMap()));
    let value = byController.get(controller);
    if (value === undefined) {
      value = read(reflector, handler, controller);
      byController.set(controller, value);
    }
    return value;
  };
}
