// nest-security/openapi: nest-security's HTTP API in an OpenAPI document. Needs @nestjs/swagger
// (an optional peer): only this entry imports it, so an app without it still loads 'nest-security'.
export { createSecurityApiDocument } from './create-security-api-document.js';
