import { Injectable } from '@nestjs/common';
import type { RequestContext, ResponseContext } from '../../http/index.js';
import type { SecurityUser } from '../../storage/typeorm/entities/security-user.entity.js';

/** What a first factor tells the second: the "remember me" choice, and how the user got this far. */
export interface SecondFactorContext {
  remember: boolean;
  via: string;
}

/** The answer while a second factor is pending: Flask-Security's `tf_required` body. */
export interface SecondFactorRequiredBody {
  tf_required: true;
  tf_state: string;
  tf_primary_method?: string;
  tf_method?: string;
}

export type SecondFactorHandler = (
  request: RequestContext,
  response: ResponseContext,
  user: SecurityUser,
  context: SecondFactorContext,
) => Promise<SecondFactorRequiredBody | null>;

/** Whether this request's sign-in of `user` would need a second step (nothing is started). */
export type SecondFactorRequirement = (request: RequestContext, user: SecurityUser) => Promise<boolean>;

/**
 * Where a password sign-in hands over to a second factor. Two-factor
 * (flows/two-factor) registers itself here when it is on; authn stays free
 * of it, and without it `check` always says "sign in now".
 */
@Injectable()
export class SecondFactorGate {
  private handler?: SecondFactorHandler;
  private requirement?: SecondFactorRequirement;

  use(handler: SecondFactorHandler, requirement?: SecondFactorRequirement): void {
    this.handler = handler;
    this.requirement = requirement;
  }

  /** Whether `check` would start a second step, asked without starting one. */
  requires(request: RequestContext, user: SecurityUser): Promise<boolean> {
    return this.requirement ? this.requirement(request, user) : Promise.resolve(false);
  }

  /** null: sign the user in now; a body: a second factor was started instead (answer it; nobody is signed in). */
  check(request: RequestContext, response: ResponseContext, user: SecurityUser, context: SecondFactorContext) {
    return this.handler ? this.handler(request, response, user, context) : Promise.resolve(null);
  }
}
