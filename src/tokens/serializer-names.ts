/** The named serializers of SPEC 3.2, each with its own salt. */
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
] as const;

export type SerializerName = (typeof SERIALIZER_NAMES)[number];

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
};
