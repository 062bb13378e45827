import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { SecurityGuard } from '../security.guard.js';

/**
 * Writes `value` under `key` on a route or a controller and binds
 * SecurityGuard there once. Nest's `UseGuards` appends, so
 * `@AuthRequired() @RolesRequired('a')` would otherwise run the guard twice.
 */
export function securityMetadata(key: string, value: unknown): ClassDecorator & MethodDecorator {
  return (target: object, _key?: string | symbol, descriptor?: TypedPropertyDescriptor<any>) => {
    const holder: object = descriptor ? descriptor.value : target;
    Reflect.defineMetadata(key, value, holder);
    const guards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, holder) ?? [];
    if (!guards.includes(SecurityGuard)) Reflect.defineMetadata(GUARDS_METADATA, [...guards, SecurityGuard], holder);
    return descriptor ?? (target as any);
  };
}
