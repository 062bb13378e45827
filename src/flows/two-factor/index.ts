// Two-factor's public surface, for src/index.ts.
export { TwoFactorSignIn, type RescueOptions } from './two-factor-sign-in.service.js';
export { TwoFactorSetup, type TfSetupInfo, type TfSetupStarted } from './two-factor-setup.service.js';
export { RecoveryCodes } from './recovery-codes.service.js';
export { TwoFactorEvent } from './two-factor-events.js';
export { TwoFactorErrorCode } from './two-factor-errors.js';
