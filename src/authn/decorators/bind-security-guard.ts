import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { SecurityGuard } from '../security.guard.js';

/**
 * A decorator for a route or a controller that writes its metadata with
 * `write(holder)` and binds SecurityGuard there once. Nest's `UseGuards`
 * appends, so `@AuthRequired() @RolesRequired('a')` would otherwise run the
 * guard twice. Reads inherited guards first (as Nest's UseGuards does).
 */
export function securityDecorator(write: (holder: object) => void): ClassDecorator & MethodDecorator {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- MethodDecorator's own signature
  return (target: object, _key?: string | symbol, descriptor?: TypedPropertyDescriptor<any>) => {
    const holder = (descriptor ? descriptor.value : target) as object;
    write(holder);
    const guards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, holder) ?? [];
    if (!guards.includes(SecurityGuard)) Reflect.defineMetadata(GUARDS_METADATA, [...guards, SecurityGuard], holder);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a class decorator returns the class; TypeScript types both kinds as one
    return descriptor ?? (target as any);
  };
}

/** Writes `value` under `key` on a route or a controller and binds SecurityGuard there once. */
export function securityMetadata(key: string, value: unknown): ClassDecorator & MethodDecorator {
  return securityDecorator((holder) => Reflect.defineMetadata(key, value, holder));
}
