import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UsedTokenStore } from '../storage/used-token-store.js';
import type { SerializerName } from './serializer-names.js';

/**
 * Makes reset tokens and login links single-use. The first caller to record a
 * token wins (UsedTokenStore.consume), so of N concurrent uses, across any
 * number of app instances, exactly one succeeds. Every spelling of one token
 * counts as the same token (tokenDigest).
 */
@Injectable()
export class OneTimeTokenService {
  constructor(private readonly used: UsedTokenStore) {}

  /**
   * Record the token as used. Resolves true for the first use only. Call it
   * after the token verified, and before acting on it.
   */
  consume(token: string, name: SerializerName, expiresAt: Date): Promise<boolean> {
    return this.used.consume(tokenDigest(token, name), expiresAt);
  }

  /** Whether the token was already used (for telling "used" apart from "invalid"). */
  isUsed(token: string, name: SerializerName): Promise<boolean> {
    return this.used.isUsed(tokenDigest(token, name));
  }
}

/**
 * A digest that is the same for every text spelling of one token. The HMAC
 * covers the payload and timestamp text, but the signature's base64 has
 * unused trailing bits, so it is hashed as decoded bytes.
 */
export function tokenDigest(token: string, name: SerializerName): string {
  const cut = token.lastIndexOf('.');
  const signed = cut < 0 ? token : token.slice(0, cut);
  const signature = cut < 0 ? Buffer.alloc(0) : Buffer.from(token.slice(cut + 1), 'base64url');
  return createHash('sha256').update(name).update('\0').update(signed).update('\0').update(signature).digest('hex');
}
