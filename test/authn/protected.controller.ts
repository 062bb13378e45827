import { Controller, Get, Post, Req, UseGuards } from '@nestjs/common';
import { AnonymousRequired, AuthRequired, CurrentAuthentication, CurrentUser, Public } from '../../src/authn/decorators/index.js';
import { getAuthentication } from '../../src/authn/authentication.js';
import { SecurityGuard } from '../../src/authn/security.guard.js';
import { PermissionsAccepted, PermissionsRequired, RolesAccepted, RolesRequired } from '../../src/authz/index.js';
import type { SecurityUser } from '../../src/storage/typeorm/entities/security-user.entity.js';

const who = (user: SecurityUser | undefined, request?: object) => ({
  email: user?.email ?? null,
  via: (request && getAuthentication(request)?.method) ?? null,
});

/** One route per protection, for the decorator matrix. */
@Controller('p')
export class ProtectedController {
  @AuthRequired()
  @Get('default')
  byDefault(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @AuthRequired('token')
  @Get('token')
  token(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @AuthRequired('session')
  @Get('session')
  session(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @AuthRequired('basic')
  @Get('basic')
  basic(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @AuthRequired('basic', 'session', 'token')
  @Get('any')
  any(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @AuthRequired('token', 'session', 'basic')
  @Post('write')
  write(@CurrentUser('email') email: string, @CurrentAuthentication('method') via: string) {
    return { email, via };
  }

  @AuthRequired('token', 'session', 'basic', { within: 5 })
  @Get('fresh')
  fresh(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  /** Always re-authenticate, except inside a grace period a passing check started. */
  @AuthRequired('session', { within: 0 })
  @Get('fresh-always')
  freshAlways(@CurrentUser() user: SecurityUser, @Req() request: object) {
    return who(user, request);
  }

  @RolesRequired('admin')
  @Get('admin')
  admin(@CurrentUser() user: SecurityUser) {
    return who(user);
  }

  @RolesAccepted('admin', 'editor')
  @Get('editor')
  editor(@CurrentUser() user: SecurityUser) {
    return who(user);
  }

  @PermissionsRequired('reports:read')
  @Get('reports')
  reports(@CurrentUser() user: SecurityUser) {
    return who(user);
  }

  @PermissionsAccepted('reports:read', 'reports:write')
  @Get('reports-any')
  reportsAny(@CurrentUser() user: SecurityUser) {
    return who(user);
  }

  // Authorization decorator first, authentication second, and a guard bound by hand on top:
  // SecurityGuard still authenticates before it authorizes.
  @UseGuards(SecurityGuard)
  @RolesRequired('admin')
  @AuthRequired('basic', 'token', 'session')
  @Get('admin-any-order')
  adminAnyOrder(@CurrentUser() user: SecurityUser) {
    return who(user);
  }

  @AnonymousRequired()
  @Get('anonymous')
  anonymous(@CurrentUser() user: SecurityUser | undefined) {
    return { anonymous: user === undefined };
  }

  @Public()
  @Get('public')
  open() {
    return { open: true };
  }

  /** No decorator: open unless SecurityGuard is global. */
  @Get('plain')
  plain(@CurrentUser() user: SecurityUser | undefined, @Req() request: object) {
    return who(user, request);
  }
}

/** A controller-level requirement, overridden per handler. */
@Controller('c')
@AuthRequired('token')
export class TokenOnlyController {
  @Get('inherited')
  inherited(@CurrentUser() user: SecurityUser) {
    return who(user);
  }

  @Public()
  @Get('opened')
  opened() {
    return { open: true };
  }
}

/** A public controller with one admin route. */
@Controller('pub')
@Public()
export class PublicController {
  @Get('open')
  open() {
    return { open: true };
  }

  @RolesRequired('admin')
  @Get('admin')
  admin(@CurrentUser() user: SecurityUser) {
    return who(user);
  }
}

/** An admin-only controller: a handler's @Public() cannot loosen it. */
@Controller('adm')
@RolesRequired('admin')
export class AdminOnlyController {
  @Public()
  @Get('not-really-public')
  notReallyPublic(@CurrentUser() user: SecurityUser) {
    return who(user);
  }
}
