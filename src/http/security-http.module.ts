import { Module, type NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { declareLinkRoutesFor } from './link-route.js';

/**
 * Adapts nest-security's routes to the app's platform. `configure()` runs
 * before Nest registers the routes of an app (middleware first), the
 * earliest point where the HTTP adapter is known, in `NestFactory.create`
 * and in `Test.createTestingModule(...).createNestApplication(adapter)` alike.
 */
@Module({})
export class SecurityHttpModule implements NestModule {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  configure(): void {
    declareLinkRoutesFor(this.adapterHost.httpAdapter?.getType());
  }
}
