import { Controller, Get } from '@nestjs/common';
import { AuthRequired, CurrentUser, PermissionsRequired, Public, RolesRequired } from 'nest-security';
import type { SecurityUser } from 'nest-security/typeorm';

/** The demo routes of SPEC 4a: one per kind of protection. */
@Controller('demo')
export class DemoController {
  @Public()
  @Get('open')
  open() {
    return { message: 'anyone can read this' };
  }

  @AuthRequired()
  @Get('me')
  me(@CurrentUser() user: SecurityUser) {
    return { id: user.id, email: user.email, roles: user.roles.map((role) => role.name) };
  }

  @RolesRequired('admin')
  @Get('admin')
  admin(@CurrentUser() user: SecurityUser) {
    return { message: `hello admin ${user.email}` };
  }

  @PermissionsRequired('reports:read')
  @Get('reports')
  reports() {
    return { reports: [{ id: 1, title: 'Quarterly numbers' }] };
  }
}
