import { applyDecorators, Controller, Get, Header, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { Public } from 'nest-security';
import { DemoPages, type PageFile } from './demo-pages.js';

/**
 * Pages run only the demo's own scripts and styles (no inline script, so an
 * injected one cannot run); the QR code is a data: image. Nothing is cached:
 * the pages show who is signed in, and the reset page's URL carries a token
 * (no Referer takes it elsewhere).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function StaticFile(): MethodDecorator {
  return applyDecorators(
    Header('Cache-Control', 'no-store'),
    Header('Content-Security-Policy', CONTENT_SECURITY_POLICY),
    Header('X-Content-Type-Options', 'nosniff'),
    Header('Referrer-Policy', 'no-referrer'),
  );
}

/**
 * The demo's web pages (SPEC 4a): static HTML with plain browser JavaScript
 * (demo/pages/) that uses the JSON API under /auth as a single page app
 * does. One route per page, so a newcomer sees every page in /docs.
 */
@Public()
@Controller('demo')
export class DemoPagesController {
  private readonly files = new DemoPages();

  @Get()
  @StaticFile()
  home() {
    return this.page('index', 'Try nest-security');
  }

  @Get('sign-in')
  @StaticFile()
  signIn() {
    return this.page('sign-in', 'Sign in');
  }

  @Get('register')
  @StaticFile()
  register() {
    return this.page('register', 'Register');
  }

  /** Where the confirm mail's link lands (redirects.postConfirm and confirmError). */
  @Get('confirmed')
  @StaticFile()
  confirmed() {
    return this.page('confirmed', 'Confirm your address');
  }

  /** Asks for a reset link, and is where that link lands to set the new password (redirects.resetView). */
  @Get('reset')
  @StaticFile()
  reset() {
    return this.page('reset', 'Reset your password');
  }

  @Get('two-factor')
  @StaticFile()
  twoFactor() {
    return this.page('two-factor', 'Two-factor');
  }

  @Get('passkeys')
  @StaticFile()
  passkeys() {
    return this.page('passkeys', 'Passkeys');
  }

  @Get('sessions')
  @StaticFile()
  sessions() {
    return this.page('sessions', 'Sessions');
  }

  /** The shared app.js and style.css, and each page's own script. */
  @Get('assets/:file')
  @StaticFile()
  asset(@Param('file') file: string) {
    const found = this.files.asset(file);
    if (!found) throw new NotFoundException();
    return served(found);
  }

  private page(name: string, title: string): StreamableFile {
    return served(this.files.page(name, title));
  }
}

function served(file: PageFile): StreamableFile {
  return new StreamableFile(file.body, { type: file.type, length: file.body.length });
}
