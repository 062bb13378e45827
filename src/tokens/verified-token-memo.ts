/** What verifying a token established once and for all: its value and when it was signed. */
export interface VerifiedToken {
  /** The decoded value, frozen: every later request for the same token shares it. */
  readonly data: unknown;
  /** Epoch seconds the token was signed at. */
  readonly signedAt: number;
}

/**
 * Tokens already verified, by their exact text. A token's signature,
 * timestamp and value never change, so once verified only its age is left
 * to check; auth tokens come back on every request, so this spares the
 * HMAC, the base64 and the JSON each time. Holds valid tokens only (a forged
 * or garbled one is never stored), at most `capacity`, the oldest dropped
 * first. Valid for one key list: the serializers' keys are fixed for the
 * life of the process.
 */
export class VerifiedTokenMemo {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly capacity: number) {}

  get(token: string): VerifiedToken | undefined {
    return this.entries.get(token);
  }

  remember(token: string, data: unknown, signedAt: number): VerifiedToken {
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    const verified: VerifiedToken = Object.freeze({
      data: data !== null && typeof data === 'object' ? Object.freeze(data) : data,
      signedAt,
    });
    this.entries.set(token, verified);
    return verified;
  }
}
