import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Public, RolesRequired } from 'nest-security';
import type { AppUser } from './app-user.entity.js';

@Controller('account')
export class AccountController {
  @Get('terms')
  @Public()
  terms() {
    return { terms: 'be nice' };
  }

  /** Protected by the global SecurityGuard: a session or a token. */
  @Get('me')
  me(@CurrentUser() user: AppUser) {
    return { email: user.email, displayName: user.displayName };
  }

  @Get('admin')
  @RolesRequired('admin')
  admin(@CurrentUser('email') email: string) {
    return { admin: email };
  }
}
