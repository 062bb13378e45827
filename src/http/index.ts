export { type RequestContext, platformRequestOf, requestContext } from './request-context.js';
export { type ResponseContext, responseContext } from './response-context.js';
export { LinkRoute, LinkToken } from './link-route.js';
export { SecurityHttpModule } from './security-http.module.js';
