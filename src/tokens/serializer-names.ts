/**
 * The named serializers of SPEC 3.2, each with its own salt. All are timed
 * (URLSafeTimedSerializer) but `refresh`, which Flask-Security 5.9 signs
 * untimed (URLSafeSerializer): a refresh token's life is its family's, kept
 * in the RefreshTokenStore.
 */
export const SERIALIZER_NAMES = [
  'confirm',
  'reset',
  'login',
  'remember',
  'change_email',
  'us_setup',
  'tf_setup',
  'tf_validity',
  'wan',
  'refresh',
] as const;

export type SerializerName = (typeof SERIALIZER_NAMES)[number];

/** The serializers that sign with a date. */
export type TimedSerializerName = Exclude<SerializerName, 'refresh'>;

/** Flask-Security's default salts, so tokens cross between the two. */
export const DEFAULT_SALTS: Record<SerializerName, string> = {
  confirm: 'confirm-salt',
  reset: 'reset-salt',
  login: 'login-salt',
  remember: 'remember-salt',
  change_email: 'change-email-salt',
  us_setup: 'us-setup-salt',
  tf_setup: 'tf-setup-salt',
  tf_validity: 'tf-validity-salt',
  wan: 'wan-salt',
  refresh: 'refresh-token-salt',
};
