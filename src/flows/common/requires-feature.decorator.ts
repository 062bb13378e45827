import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { FeatureGuard } from './feature.guard.js';
import { FLOW_FEATURES_KEY, type FlowFeature } from './flow-feature.js';

/**
 * The route exists only when every named feature switch is on; otherwise it
 * answers 404, as if it were not there. Controllers are always registered, so
 * the switches can come from an async options factory.
 */
export const RequiresFeature = (...features: FlowFeature[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(FLOW_FEATURES_KEY, features), UseGuards(FeatureGuard));
