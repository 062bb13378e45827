import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Controller, Get, type ExecutionContext } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Role } from '../storage/typeorm/entities/role.entity.js';
import type { SecurityUser } from '../storage/typeorm/entities/security-user.entity.js';

// The decorators bind SecurityGuard; these specs test the metadata and
// authorize() alone, so the guard (and its dependencies) stays out.
class FakeSecurityGuard {
  canActivate() {
    return true;
  }
}
jest.unstable_mockModule('../authn/security.guard.js', () => ({ SecurityGuard: FakeSecurityGuard }));

const { RolesRequired, RolesAccepted, PermissionsRequired, PermissionsAccepted } = await import('./authz.decorators.js');
const { authorize, getAuthzRequirement } = await import('./authorize.js');
const { userHasRole, userHasPermission } = await import('./user-roles.js');
const { ForbiddenAccessException, UnauthenticatedException } = await import('../common/errors/security.exception.js');

const reflector = new Reflector();

function role(name: string, permissions: string[] | null = null): Role {
  return { id: 0, name, description: null, permissions, updateDatetime: new Date(0) };
}
function user(...roles: Role[]): SecurityUser {
  return { id: 1, email: 'u@example.com', roles } as SecurityUser;
}
function contextFor(controller: Function, method: string): ExecutionContext {
  const handler = (controller.prototype as Record<string, Function>)[method];
  return { getHandler: () => handler, getClass: () => controller } as unknown as ExecutionContext;
}
function check(controller: Function, method: string, u: SecurityUser | null): 'ok' | 401 | 403 {
  try {
    authorize(reflector, contextFor(controller, method), u);
    return 'ok';
  } catch (e) {
    if (e instanceof ForbiddenAccessException) return 403;
    if (e instanceof UnauthenticatedException) return 401;
    throw e;
  }
}

const admin = role('admin');
const editor = role('editor', ['posts:write', 'posts:read']);
const author = role('author', ['posts:write']);
const auditor = role('auditor', ['reports:read']);

@Controller('routes')
class Routes {
  @Get() open() {}
  @Get() @RolesRequired('admin', 'editor') adminAndEditor() {}
  @Get() @RolesAccepted('admin', 'editor') adminOrEditor() {}
  @Get() @PermissionsRequired('posts:write', 'reports:read') writeAndReports() {}
  @Get() @PermissionsAccepted('posts:write', 'reports:read') writeOrReports() {}
  @Get() @RolesAccepted('admin', 'editor') @RolesAccepted('author') stackedAccepted() {}
  @Get() @RolesRequired('admin') @PermissionsAccepted('reports:read') roleAndPermission() {}
}

describe('authorize', () => {
  it('lets anyone through a route without requirements, even with no user', () => {
    expect(check(Routes, 'open', null)).toBe('ok');
    expect(getAuthzRequirement(reflector, contextFor(Routes, 'open'))).toBeNull();
  });

  it('RolesRequired: every role', () => {
    expect(check(Routes, 'adminAndEditor', user(admin, editor))).toBe('ok');
    expect(check(Routes, 'adminAndEditor', user(admin))).toBe(403);
    expect(check(Routes, 'adminAndEditor', user(editor))).toBe(403);
  });

  it('RolesAccepted: any role', () => {
    expect(check(Routes, 'adminOrEditor', user(editor))).toBe('ok');
    expect(check(Routes, 'adminOrEditor', user(admin))).toBe('ok');
    expect(check(Routes, 'adminOrEditor', user(author))).toBe(403);
  });

  it('PermissionsRequired: every permission, gathered from several roles', () => {
    expect(check(Routes, 'writeAndReports', user(author, auditor))).toBe('ok');
    expect(check(Routes, 'writeAndReports', user(editor))).toBe(403);
    expect(check(Routes, 'writeAndReports', user(auditor))).toBe(403);
  });

  it('PermissionsAccepted: any permission', () => {
    expect(check(Routes, 'writeOrReports', user(auditor))).toBe('ok');
    expect(check(Routes, 'writeOrReports', user(author))).toBe('ok');
    expect(check(Routes, 'writeOrReports', user(admin))).toBe(403);
  });

  it('a role name is not a permission, nor the other way round', () => {
    expect(check(Routes, 'writeOrReports', user(role('posts:write')))).toBe(403);
    expect(check(Routes, 'adminOrEditor', user(role('x', ['admin'])))).toBe(403);
  });

  it('stacked decorators of one kind all apply: (admin or editor) and author', () => {
    expect(check(Routes, 'stackedAccepted', user(editor, author))).toBe('ok');
    expect(check(Routes, 'stackedAccepted', user(editor))).toBe(403);
    expect(check(Routes, 'stackedAccepted', user(author))).toBe(403);
  });

  it('different decorators on one route all apply', () => {
    expect(check(Routes, 'roleAndPermission', user(admin, auditor))).toBe('ok');
    expect(check(Routes, 'roleAndPermission', user(admin))).toBe(403);
    expect(check(Routes, 'roleAndPermission', user(auditor))).toBe(403);
  });

  it('a user with no roles (or roles not loaded) is refused', () => {
    expect(check(Routes, 'adminOrEditor', user())).toBe(403);
    expect(check(Routes, 'writeOrReports', { id: 1 } as SecurityUser)).toBe(403);
  });

  it('roles with null permissions grant none', () => {
    expect(check(Routes, 'writeOrReports', user(role('a', null), role('b', [])))).toBe(403);
  });

  it('role names are case-sensitive, as in Flask-Security', () => {
    expect(check(Routes, 'adminOrEditor', user(role('Admin')))).toBe(403);
  });

  it('no user on a route with a requirement is 401, not 403', () => {
    expect(check(Routes, 'adminOrEditor', null)).toBe(401);
  });
});

describe('requirements on a controller and its routes', () => {
  @RolesAccepted('staff', 'admin')
  @PermissionsRequired('reports:read')
  class Reports {
    list() {}
    @RolesRequired('admin') purge() {}
    @PermissionsAccepted('reports:write', 'reports:admin') edit() {}
  }

  const staff = role('staff', ['reports:read']);
  const writer = role('writer', ['reports:write']);

  it('the controller requirement applies to every route', () => {
    expect(check(Reports, 'list', user(staff))).toBe('ok');
    expect(check(Reports, 'list', user(role('staff')))).toBe(403);
    expect(check(Reports, 'list', user(auditor))).toBe(403);
  });

  it('a route adds its own: controller and route must both pass', () => {
    expect(check(Reports, 'purge', user(staff))).toBe(403);
    expect(check(Reports, 'purge', user(admin))).toBe(403); // no reports:read
    expect(check(Reports, 'purge', user(admin, auditor))).toBe('ok');
    expect(check(Reports, 'edit', user(staff))).toBe(403);
    expect(check(Reports, 'edit', user(staff, writer))).toBe('ok');
  });

  it('merges each route once and caches it', () => {
    const spy = jest.spyOn(reflector, 'get');
    check(Reports, 'edit', user(staff, writer));
    check(Reports, 'edit', user(staff));
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(getAuthzRequirement(reflector, contextFor(Reports, 'purge'))).toEqual({
      rolesRequired: ['admin'],
      rolesAccepted: [['staff', 'admin']],
      permissionsRequired: ['reports:read'],
      permissionsAccepted: [],
    });
  });

  it('a controller extending a protected one keeps its requirement', () => {
    @RolesRequired('auditor')
    class AuditedReports extends Reports {}
    expect(check(AuditedReports, 'list', user(staff))).toBe(403);
    expect(check(AuditedReports, 'list', user(staff, auditor))).toBe('ok');
    expect(check(Reports, 'list', user(staff))).toBe('ok');
  });
});

describe('the decorators', () => {
  it('bind SecurityGuard once per route or controller however many are stacked', () => {
    expect(Reflect.getMetadata(GUARDS_METADATA, Routes.prototype.roleAndPermission)).toEqual([FakeSecurityGuard]);
    expect(Reflect.getMetadata(GUARDS_METADATA, Routes.prototype.stackedAccepted)).toEqual([FakeSecurityGuard]);
    expect(Reflect.getMetadata(GUARDS_METADATA, Routes.prototype.open)).toBeUndefined();
  });

  it('refuse an empty list or an empty name at start-up', () => {
    expect(() => RolesAccepted()).toThrow('@RolesAccepted() needs at least one name');
    expect(() => PermissionsRequired('')).toThrow('non-empty strings');
  });
});

describe('userHasRole / userHasPermission', () => {
  it('read the roles loaded with the user', () => {
    const u = user(editor, auditor);
    expect(userHasRole(u, 'editor')).toBe(true);
    expect(userHasRole(u, 'admin')).toBe(false);
    expect(userHasPermission(u, 'reports:read')).toBe(true);
    expect(userHasPermission(u, 'posts:read')).toBe(true);
    expect(userHasPermission(u, 'posts:delete')).toBe(false);
    expect(userHasRole(null, 'admin')).toBe(false);
  });
});
