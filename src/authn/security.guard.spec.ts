import 'reflect-metadata';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthRequired } from './decorators/auth-required.decorator.js';
import { Public } from './decorators/public.decorator.js';
import { SecurityGuard } from './security.guard.js';

class Gateway {
  @Public()
  open() {}

  @AuthRequired()
  closed() {}

  plain() {}
}

function wsContext(handler: Function): ExecutionContext {
  return { getType: () => 'ws', getHandler: () => handler, getClass: () => Gateway } as unknown as ExecutionContext;
}

describe('SecurityGuard on other transports', () => {
  const guard = new SecurityGuard(new Reflector(), null as never, null as never, null as never, null as never);

  it('lets @Public() handlers through and refuses the rest (fail closed)', async () => {
    expect(await guard.canActivate(wsContext(Gateway.prototype.open))).toBe(true);
    expect(await guard.canActivate(wsContext(Gateway.prototype.closed))).toBe(false);
    expect(await guard.canActivate(wsContext(Gateway.prototype.plain))).toBe(false);
  });
});
