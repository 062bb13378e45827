/** The resolved, validated options (ResolvedSecurityOptions). */
export const SECURITY_OPTIONS = Symbol('nest-security:options');
/** The HTTP API's route prefix (a module extra, known when the module is built). */
export const SECURITY_URL_PREFIX = Symbol('nest-security:url-prefix');
/** The TypeORM DataSource nest-security stores users, sessions and counters in. */
export const SECURITY_DATA_SOURCE = Symbol('nest-security:data-source');
/** How the module was built: its route prefix, and whether its options come from an async factory (internal). */
export const SECURITY_MODULE_BUILD = Symbol('nest-security:module-build');
