import type { Provider, Type } from '@nestjs/common';
import { SecondFactorGate } from '../../authn/login/second-factor-gate.js';
import { smsSenderProvider } from '../../mail/sms/sms-sender.provider.js';
import { PendingSignIns } from './pending-sign-in.service.js';
import { RecoveryCodesController } from './recovery-codes.controller.js';
import { RecoveryCodes } from './recovery-codes.service.js';
import { TfSetupActors } from './tf-setup-actor.service.js';
import { TfValidity } from './tf-validity.service.js';
import { TotpKeys } from './totp-keys.service.js';
import { TwoFactorCodes } from './two-factor-codes.service.js';
import { TwoFactorController } from './two-factor.controller.js';
import { TwoFactorLimits } from './two-factor-limits.service.js';
import { TwoFactorPolicy } from './two-factor-policy.service.js';
import { TwoFactorSetup } from './two-factor-setup.service.js';
import { TwoFactorSignIn } from './two-factor-sign-in.service.js';

/** Two-factor's controllers: always registered; 404 while `twoFactor` (and, for recovery codes, `multiFactorRecoveryCodes`) is off. */
export const TWO_FACTOR_CONTROLLERS: Type[] = [TwoFactorController, RecoveryCodesController];

/** Two-factor's services; the gate and the SMS sender are provided even while it is off (LoginService asks the gate). */
export const TWO_FACTOR_PROVIDERS: Provider[] = [
  SecondFactorGate,
  smsSenderProvider,
  TwoFactorPolicy,
  TotpKeys,
  PendingSignIns,
  TwoFactorLimits,
  TwoFactorCodes,
  TfValidity,
  TwoFactorSignIn,
  TfSetupActors,
  TwoFactorSetup,
  RecoveryCodes,
];

/** What SecurityModule exports of it. */
export const TWO_FACTOR_EXPORTS: Type[] = [TwoFactorSignIn, TwoFactorSetup, RecoveryCodes];
