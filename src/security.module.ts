import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import type { FlowFeature } from './flows/common/flow-feature.js';
import { ALL_FLOW_CONTROLLERS, gateDisabledFlows } from './flows/flow-mounting.js';
import { FEATURE_SWITCHES, type FeatureSwitches } from './options/option-slices.js';
import { SECURITY_MODULE_BUILD } from './security.constants.js';
import { assembleSecurityModule } from './security.module-assembly.js';
import { ConfigurableSecurityModule, SECURITY_ASYNC_OPTIONS_TYPE, SECURITY_OPTIONS_TYPE } from './security.module-definition.js';
import type { SecurityModuleBuild } from './security.providers.js';

/**
 * `SecurityModule.forRoot({ secretKey, ... })` or `.forRootAsync({ useFactory, inject })`.
 * Global by default. The HTTP API is mounted under `urlPrefix` (default '/auth'),
 * only the flows that are switched on. Providers are assembled in security.providers.ts.
 */
@Module({})
export class SecurityModule extends ConfigurableSecurityModule implements NestModule {
  constructor(
    @Inject(FEATURE_SWITCHES) private readonly features: FeatureSwitches,
    @Inject(SECURITY_MODULE_BUILD) private readonly build: SecurityModuleBuild,
  ) {
    super();
  }

  static forRoot(options: typeof SECURITY_OPTIONS_TYPE): DynamicModule {
    return assembleSecurityModule(SecurityModule, super.forRoot(options), { extras: options, options });
  }

  static forRootAsync(options: typeof SECURITY_ASYNC_OPTIONS_TYPE): DynamicModule {
    return assembleSecurityModule(SecurityModule, super.forRootAsync(options), { extras: options });
  }

  /** forRootAsync: flows found off at start-up answer 404 before any guard runs. */
  configure(consumer: MiddlewareConsumer): void {
    // forRoot mounted only the flows that are on: there is nothing to gate.
    if (this.build.async) gateDisabledFlows(consumer, ALL_FLOW_CONTROLLERS, (feature: FlowFeature) => this.features[feature]);
  }
}
