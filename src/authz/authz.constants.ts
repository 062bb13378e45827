/**
 * Metadata keys the authorization decorators write. Each holds a list of
 * groups (`string[][]`): one group per decorator application, so that
 * stacked decorators all apply, as Flask-Security's stacked decorators do.
 */
export const ROLES_REQUIRED_KEY = 'nest_security:roles_required';
export const ROLES_ACCEPTED_KEY = 'nest_security:roles_accepted';
export const PERMISSIONS_REQUIRED_KEY = 'nest_security:permissions_required';
export const PERMISSIONS_ACCEPTED_KEY = 'nest_security:permissions_accepted';

export type AuthzMetadataKey =
  typeof ROLES_REQUIRED_KEY | typeof ROLES_ACCEPTED_KEY | typeof PERMISSIONS_REQUIRED_KEY | typeof PERMISSIONS_ACCEPTED_KEY;
