/**
 * Two-factor's events (Flask-Security's signals tf_code_confirmed,
 * tf_disabled, tf_profile_changed, tf_security_token_sent,
 * mf_recovery_codes_generated). No payload carries a code or a secret.
 */
export const TwoFactorEvent = {
  CodeConfirmed: 'tf.code_confirmed',
  Disabled: 'tf.disabled',
  ProfileChanged: 'tf.profile_changed',
  SecurityTokenSent: 'tf.security_token_sent',
  RecoveryCodesGenerated: 'mf.recovery_codes_generated',
  RecoveryCodeUsed: 'mf.recovery_code_used',
} as const;

/** `tf.code_confirmed`: a second-factor code was accepted at sign-in. */
export interface TfCodeConfirmedEvent {
  userId: number;
  method: string;
}

/** `tf.profile_changed`: the user set up (or changed) their second factor. */
export interface TfProfileChangedEvent {
  userId: number;
  method: string;
}

/** `tf.disabled`: the user removed their second factor. */
export interface TfDisabledEvent {
  userId: number;
}

/** `tf.security_token_sent`: a code went out by email or SMS. */
export interface TfSecurityTokenSentEvent {
  userId: number;
  method: 'email' | 'sms';
}

/** `mf.recovery_codes_generated`: a new set replaced the old one. */
export interface MfRecoveryCodesGeneratedEvent {
  userId: number;
  count: number;
}

/** `mf.recovery_code_used`: a recovery code signed the user in. */
export interface MfRecoveryCodeUsedEvent {
  userId: number;
  remaining: number;
}
