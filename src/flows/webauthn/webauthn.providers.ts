import type { Provider, Type } from '@nestjs/common';
import { WanStates } from './webauthn-state.service.js';
import { WebAuthnController } from './webauthn.controller.js';
import { WebAuthnService } from './webauthn.service.js';

/** Passkeys' controllers: always registered; 404 while `webauthn` is off. */
export const WEBAUTHN_CONTROLLERS: Type[] = [WebAuthnController];

export const WEBAUTHN_PROVIDERS: Provider[] = [WanStates, WebAuthnService];
