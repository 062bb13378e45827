import { applyDecorators, Controller, Get, Header, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { Public } from 'nest-security';
import { type PageFile, readPageFiles } from './page-files.js';

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
  private readonly files = readPageFiles();

  @Get()
  @StaticFile()
  home() {
    return this.serve('index.html');
  }

  @Get('sign-in')
  @StaticFile()
  signIn() {
    return this.serve('sign-in.html');
  }

  @Get('register')
  @StaticFile()
  register() {
    return this.serve('register.html');
  }

  /** Where the confirm mail's link lands (redirects.postConfirm and confirmError). */
  @Get('confirmed')
  @StaticFile()
  confirmed() {
    return this.serve('confirmed.html');
  }

  /** Asks for a reset link, and is where that link lands to set the new password (redirects.resetView). */
  @Get('reset')
  @StaticFile()
  reset() {
    return this.serve('reset.html');
  }

  @Get('two-factor')
  @StaticFile()
  twoFactor() {
    return this.serve('two-factor.html');
  }

  @Get('passkeys')
  @StaticFile()
  passkeys() {
    return this.serve('passkeys.html');
  }

  @Get('sessions')
  @StaticFile()
  sessions() {
    return this.serve('sessions.html');
  }

  /** The shared app.js and style.css, and each page's own script. */
  @Get('assets/:file')
  @StaticFile()
  asset(@Param('file') file: string) {
    if (file.endsWith('.html')) throw new NotFoundException();
    return this.serve(file);
  }

  private serve(name: string): StreamableFile {
    const file: PageFile | undefined = this.files.get(name);
    if (!file) throw new NotFoundException();
    return new StreamableFile(file.body, { type: file.type, length: file.body.length });
  }
}
