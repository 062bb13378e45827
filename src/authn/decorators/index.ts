export { AuthRequired, type AuthRequiredOptions, type AuthRequirement } from './auth-required.decorator.js';
export { Public } from './public.decorator.js';
export { AnonymousRequired } from './anonymous-required.decorator.js';
export { CurrentUser } from './current-user.decorator.js';
export { CurrentAuthentication } from './current-authentication.decorator.js';
