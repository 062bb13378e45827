import type { Provider, Type } from '@nestjs/common';
import { UnifiedSigninController } from './unified-signin.controller.js';
import { UnifiedSigninService } from './unified-signin.service.js';
import { UsCodeService } from './us-code.service.js';

/** Unified sign-in's controller: always registered; 404 while `unifiedSignin` is off. */
export const UNIFIED_SIGNIN_CONTROLLERS: Type[] = [UnifiedSigninController];

/** Unified sign-in's services (it uses passwordless' shared sign-in pieces too). */
export const UNIFIED_SIGNIN_PROVIDERS: Provider[] = [UsCodeService, UnifiedSigninService];

/** What SecurityModule exports of it, for apps that drive it themselves. */
export const UNIFIED_SIGNIN_EXPORTS: Type[] = [UnifiedSigninService, UsCodeService];
