import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OneTimeTokenService } from '../../tokens/one-time-token.service.js';
import { SerializerRegistry } from '../../tokens/serializer-registry.js';
import { TokenStatusService } from '../../tokens/token-status.service.js';
import type { WebAuthnUsage } from '../../storage/webauthn-credential-store.js';
import { expiredState, invalidState } from './webauthn-errors.js';

export type WanPurpose = 'register' | 'signin' | 'verify';

/**
 * What a `wan_state` carries between the two steps: Flask-Security's fields
 * (challenge, name, usage, user_verification) plus what step it is for and,
 * for register and verify, the user it was made for.
 */
export interface WanState {
  purpose: WanPurpose;
  challenge: string;
  user_verification: boolean;
  uid?: string;
  name?: string;
  usage?: WebAuthnUsage;
  remember?: boolean;
  /** A sign-in's second step: the passkey is the second factor of the pending sign-in of `uid`. */
  secondary?: boolean;
}

/** Makes and takes `wan_state` tokens (the `wan` serializer): signed, expiring, and single-use. */
@Injectable()
export class WanStates {
  constructor(
    private readonly serializers: SerializerRegistry,
    private readonly tokenStatus: TokenStatusService,
    private readonly oneTime: OneTimeTokenService,
  ) {}

  /** A fresh challenge (32 random bytes, base64url) and the state token carrying it. */
  issue(state: Omit<WanState, 'challenge'>): { challenge: string; token: string } {
    const challenge = randomBytes(32).toString('base64url');
    return { challenge, token: this.serializers.get('wan').dumps({ ...state, challenge }) };
  }

  /** The state, if the token is well signed, for this purpose, younger than `withinSeconds`, and not used before (it is used now). */
  async take(token: string, purpose: WanPurpose, withinSeconds: number): Promise<WanState> {
    const checked = this.tokenStatus.check(token, 'wan', withinSeconds);
    const state = checked.data as Partial<WanState> | null;
    const valid =
      !checked.invalid &&
      state !== null &&
      typeof state === 'object' &&
      state.purpose === purpose &&
      typeof state.challenge === 'string' &&
      typeof state.user_verification === 'boolean';
    if (!valid) throw invalidState();
    if (checked.expired) throw expiredState();
    // Kept as used for as long as it could still verify.
    if (!(await this.oneTime.consume(token, 'wan', new Date(Date.now() + withinSeconds * 1000)))) throw invalidState();
    return state as WanState;
  }
}
