import type { Provider, Type } from '@nestjs/common';
import { LoginLinkBinding } from './login-link-binding.service.js';
import { PasswordlessController } from './passwordless.controller.js';
import { PasswordlessService } from './passwordless.service.js';
import { SignInLimits } from './sign-in-limits.service.js';
import { SignInResponder } from './sign-in-responder.service.js';

/** Passwordless sign-in's controller: always registered; 404 while `passwordless` is off. */
export const PASSWORDLESS_CONTROLLERS: Type[] = [PasswordlessController];

/** Passwordless sign-in's services, and the sign-in pieces unified sign-in shares (limits, events, link responder). */
export const PASSWORDLESS_PROVIDERS: Provider[] = [SignInLimits, SignInResponder, LoginLinkBinding, PasswordlessService];

/** What SecurityModule exports of it. */
export const PASSWORDLESS_EXPORTS: Type[] = [PasswordlessService];
