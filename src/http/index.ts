export { type RequestContext, platformRequestOf, requestContext } from './request-context.js';
export { type ResponseContext, responseContext } from './response-context.js';
export { LinkRoute, LinkToken } from './link-route.js';
export { SecurityHttpModule } from './security-http.module.js';
export { NoStoreInterceptor, preventCaching } from './no-store.js';
export { acceptsJson, isFormPost, safeNext } from './redirect-next.js';
export { type RedirectPolicy, redirectPolicy, safeConfiguredRedirect, safeRedirect } from './safe-redirect.js';
