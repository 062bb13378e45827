/** Metadata keys the authentication decorators write (namespaced, as the authz ones). */
export const AUTH_REQUIRED_KEY = 'nest_security:auth_required';
export const PUBLIC_KEY = 'nest_security:public';
export const ANONYMOUS_REQUIRED_KEY = 'nest_security:anonymous_required';

/** Realm of the `WWW-Authenticate: Basic` challenge (Flask-Security's default). */
export const BASIC_AUTH_REALM = 'Login Required';

/** The built-in strategies' names. */
export const AuthMethods = Object.freeze({ token: 'token', session: 'session', basic: 'basic' } as const);

/** The order the built-in strategies are tried in, whatever order a route names them (as Flask-Security). */
export const AUTH_METHOD_ORDER = [AuthMethods.token, AuthMethods.session, AuthMethods.basic] as const;
