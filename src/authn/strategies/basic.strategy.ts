import { Injectable } from '@nestjs/common';
import { requestContext } from '../../http/index.js';
import type { Authentication } from '../authentication.js';
import { PasswordAuthenticator } from '../login/password-authenticator.service.js';
import { SecurityStrategy } from './security-passport.js';

/** An Authorization header longer than this is not Basic credentials we will look at. */
const MAX_HEADER_LENGTH = 2048;

/** `{ identity, password }` of an `Authorization: Basic` header, or undefined. */
export function readBasicCredentials(platformOrContext: object): { identity: string; password: string } | undefined {
  const request = requestContext(platformOrContext);
  const authorization = request.header('authorization');
  if (!authorization || authorization.length > MAX_HEADER_LENGTH) return undefined;
  const match = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { identity: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * 'basic': HTTP Basic with the email (or username, when usernames are on)
 * and password, checked like a login: the same brute-force limits (a locked
 * account or address gets 429), the same refusals (inactive, unconfirmed).
 * Basic credentials come with every request, so Basic is always fresh.
 */
@Injectable()
export class BasicStrategy extends SecurityStrategy('basic') {
  constructor(private readonly passwords: PasswordAuthenticator) {
    super();
  }

  async validate(platformRequest: object): Promise<Authentication | false> {
    const request = requestContext(platformRequest);
    const credentials = readBasicCredentials(request);
    if (!credentials) return false;
    const user = await this.passwords.authenticate({ identity: credentials.identity }, credentials.password, request.ip);
    return user ? { user, method: 'basic', authenticatedAt: new Date() } : false;
  }
}
