import { type CanActivate, type ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SecurityErrorCode, SecurityException } from '../../common/errors/index.js';
import { FEATURE_SWITCHES, type FeatureSwitches } from '../../options/option-slices.js';
import { FLOW_FEATURES_KEY, type FlowFeature } from './flow-feature.js';

/**
 * Answers 404 for a flow whose feature switch is off (see @RequiresFeature).
 * SecurityModule does not mount such flows (forRoot) or gates them before
 * any guard (forRootAsync); this stays for controllers an app mounts itself.
 */
@Injectable()
export class FeatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(FEATURE_SWITCHES) private readonly switches: FeatureSwitches,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const features =
      this.reflector.getAllAndOverride<FlowFeature[] | undefined>(FLOW_FEATURES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    if (features.every((feature) => this.switches[feature])) return true;
    throw new SecurityException(HttpStatus.NOT_FOUND, SecurityErrorCode.NOT_FOUND, 'Not Found');
  }
}
