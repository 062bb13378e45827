import type { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SECURITY_OPTIONS } from '../security.constants.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { createMailer } from './mailer.factory.js';
import { Mailer } from './mailer.js';

/**
 * The `mailer` option (a class, built with the module's injector, or an
 * instance) when given; else SMTP or the console, from `mail`. An option
 * rather than an app provider of `Mailer`: inside SecurityModule its own
 * provider would always win.
 */
export const mailerProvider: Provider = {
  provide: Mailer,
  useFactory: async (options: ResolvedSecurityOptions, moduleRef: ModuleRef): Promise<Mailer> => {
    const { mailer } = options;
    if (mailer === undefined) return createMailer(options.mail);
    return typeof mailer === 'function' ? moduleRef.create(mailer as Type<Mailer>) : mailer;
  },
  inject: [SECURITY_OPTIONS, ModuleRef],
};
