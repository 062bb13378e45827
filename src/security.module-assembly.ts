import type { DynamicModule, Type } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule, RouterModule } from '@nestjs/core';
import { AUTHN_CONTROLLERS } from './authn/authn.providers.js';
import { FLOW_FEATURES_ON_BY_DEFAULT, type FlowFeature } from './flows/common/flow-feature.js';
import { ALL_FLOW_CONTROLLERS, flowControllers } from './flows/flow-mounting.js';
import { FLOW_PROVIDERS } from './flows/flows.providers.js';
import { SecurityHttpModule } from './http/security-http.module.js';
import { SECURITY_ROUTE_CONTROLLERS, SecurityRouteInterceptor } from './http/security-route.interceptor.js';
import { PASSWORDLESS_PROVIDERS } from './flows/passwordless/passwordless.providers.js';
import { UNIFIED_SIGNIN_PROVIDERS } from './flows/unified-signin/unified-signin.providers.js';
import { TWO_FACTOR_PROVIDERS } from './flows/two-factor/two-factor.providers.js';
import { WEBAUTHN_PROVIDERS } from './flows/webauthn/webauthn.providers.js';
import { SECURITY_MODULE_BUILD, SECURITY_URL_PREFIX } from './security.constants.js';
import type { SecurityModuleExtras } from './security.module-definition.js';
import type { SecurityModuleOptions } from './security.options.js';
import { coreExports, coreProviders, type SecurityModuleBuild } from './security.providers.js';

/** What forRoot knows and forRootAsync does not: the options themselves. */
export interface AssemblyInput {
  extras: Partial<SecurityModuleExtras>;
  /** forRoot's options; undefined for forRootAsync. */
  options?: SecurityModuleOptions;
}

/**
 * Adds nest-security's providers, controllers and routes to the definition
 * ConfigurableModuleBuilder made. With forRoot's options at hand only the
 * flows that are on are mounted (every feature switch defaults to off but
 * those in FLOW_FEATURES_ON_BY_DEFAULT);
 * with forRootAsync all are, and SecurityModule.configure() gates the ones
 * that turn out to be off.
 */
export function assembleSecurityModule(module: Type, definition: DynamicModule, input: AssemblyInput): DynamicModule {
  const urlPrefix = input.extras.urlPrefix ?? '/auth';
  const options = input.options;
  const build: SecurityModuleBuild = { urlPrefix, async: options === undefined };
  const flows = options
    ? flowControllers((feature: FlowFeature) => (options[feature] ?? FLOW_FEATURES_ON_BY_DEFAULT.has(feature)) === true)
    : [...ALL_FLOW_CONTROLLERS];
  // Every controller the module mounts; SecurityRouteInterceptor acts on exactly these.
  const controllers: Type[] = [...AUTHN_CONTROLLERS, ...flows];
  return {
    ...definition,
    module,
    imports: [...(definition.imports ?? []), SecurityHttpModule, DiscoveryModule, RouterModule.register([{ path: urlPrefix, module }])],
    providers: [
      ...(definition.providers ?? []),
      { provide: SECURITY_MODULE_BUILD, useValue: build },
      ...coreProviders,
      ...FLOW_PROVIDERS,
      ...PASSWORDLESS_PROVIDERS,
      ...UNIFIED_SIGNIN_PROVIDERS,
      ...TWO_FACTOR_PROVIDERS,
      ...WEBAUTHN_PROVIDERS,
      { provide: SECURITY_URL_PREFIX, useValue: urlPrefix },
      // Form bodies' CSRF check and the response shape, on the module's own routes only.
      { provide: SECURITY_ROUTE_CONTROLLERS, useValue: new Set<Type>(controllers) },
      { provide: APP_INTERCEPTOR, useClass: SecurityRouteInterceptor },
    ],
    exports: [...(definition.exports ?? []), ...coreExports],
    controllers: [...(definition.controllers ?? []), ...controllers],
  };
}
