/**
 * TOTP for two-factor sign-in, free of Nest: keys stored as passlib's TOTP
 * JSON (what Flask-Security writes to `tf_totp_secret`), encrypted with
 * TOTP_SECRETS, codes on `otpauth`. Rows written by Flask-Security read
 * here and the other way round.
 */
export { TotpSecrets, TotpSecretsError, type EncryptedTotpKey } from './totp-secrets.js';
export { newTotpState, totpStateFromJson, totpStateToJson, type TotpAlgorithm, type TotpState } from './totp-state.js';
export { matchTotp, prettyTotpKey, totpCode, totpCounter, totpUri, type TotpMatchOptions } from './totp-codes.js';
