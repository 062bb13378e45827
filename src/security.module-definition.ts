import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SecurityModuleOptions } from './security.options.js';

/**
 * Extras are known when the module is built (unlike async options):
 * `isGlobal` and the route prefix of the HTTP API.
 */
export interface SecurityModuleExtras {
  isGlobal: boolean;
  urlPrefix: string;
}

export const {
  ConfigurableModuleClass: ConfigurableSecurityModule,
  MODULE_OPTIONS_TOKEN: SECURITY_MODULE_OPTIONS,
  OPTIONS_TYPE: SECURITY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SECURITY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SecurityModuleOptions>({ moduleName: 'Security' })
  .setClassMethodName('forRoot')
  .setExtras<SecurityModuleExtras>({ isGlobal: true, urlPrefix: '/auth' }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
