import type { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { ConsoleSmsSender } from './console-sms.sender.js';
import { SmsSender } from './sms-sender.js';

/** The `smsSender` option (a class, built with the module's injector, or an instance); the console without one. */
export const smsSenderProvider: Provider = {
  provide: SmsSender,
  useFactory: async (options: ResolvedSecurityOptions, moduleRef: ModuleRef): Promise<SmsSender | null> => {
    const { smsSender } = options;
    if (smsSender === undefined)
      return options.twoFactor && options.twoFactorEnabledMethods.includes('sms') ? new ConsoleSmsSender() : null;
    return typeof smsSender === 'function' ? moduleRef.create(smsSender as Type<SmsSender>) : smsSender;
  },
  inject: [SECURITY_OPTIONS, ModuleRef],
};
