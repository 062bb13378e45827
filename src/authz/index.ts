export { RolesRequired, RolesAccepted, PermissionsRequired, PermissionsAccepted } from './authz.decorators.js';
export { ROLES_REQUIRED_KEY, ROLES_ACCEPTED_KEY, PERMISSIONS_REQUIRED_KEY, PERMISSIONS_ACCEPTED_KEY } from './authz.constants.js';
export { authorize, authzRequirementOf, getAuthzRequirement, meetsRequirement, type AuthzRequirement } from './authorize.js';
export { userHasRole, userHasPermission, userRoleNames, userPermissions, type UserWithRoles } from './user-roles.js';
