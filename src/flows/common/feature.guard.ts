import { type CanActivate, type ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SecurityErrorCode, SecurityException } from '../../common/errors/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { FLOW_FEATURES_KEY, type FlowFeature } from './flow-feature.js';

/** Answers 404 for a flow whose feature switch is off (see @RequiresFeature). */
@Injectable()
export class FeatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const features = this.reflector.getAllAndOverride<FlowFeature[] | undefined>(FLOW_FEATURES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    if (features.every((feature) => this.options[feature] === true)) return true;
    throw new SecurityException(HttpStatus.NOT_FOUND, SecurityErrorCode.NOT_FOUND, 'Not Found');
  }
}
