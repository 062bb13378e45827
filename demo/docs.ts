import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createSecurityApiDocument } from 'nest-security/openapi';

/** Where the demo serves Swagger UI; the document itself is at `${DOCS_PATH}-json` (and `-yaml`). */
export const DOCS_PATH = 'docs';

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json: the /auth API
 * as nest-security documents it, the demo's own routes as SwaggerModule
 * does. Call before app.listen() (Fastify takes no routes once it is ready).
 */
export function setupDemoDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('nest-security demo')
    .setDescription('The /auth API of nest-security, and the demo routes that show its guards.')
    .build();
  SwaggerModule.setup(DOCS_PATH, app, createSecurityApiDocument(app, config));
}
