import { createHash, timingSafeEqual } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { MAX_SHA_CRYPT_ROUNDS } from '../limits.js';
import { encodeHash64 } from './hash64.js';
import type { PasswordFormat } from './password-format.js';
import { paddedLength, Sha256Block, Sha512Block, writePadding, type Sha2Block } from './sha2-block.js';

/*
 * SHA-crypt, `$5$` (SHA-256) and `$6$` (SHA-512), after Ulrich Drepper's
 * "Unix crypt using SHA-256 and SHA-512" specification, as glibc and
 * passlib's sha256_crypt / sha512_crypt implement it.
 */

export type ShaCryptId = '5' | '6';

interface ShaCryptVariant {
  readonly id: ShaCryptId;
  readonly name: string;
  readonly digest: 'sha256' | 'sha512';
  readonly digestBytes: number;
  readonly checksumLength: number;
  /** Digest byte indices in the order the specification encodes them. */
  readonly order: readonly number[];
  newBlock(): Sha2Block;
}

/**
 * The specification lists the output as groups (B2, B1, B0) of digest
 * indices, each encoded as the 24-bit number B2 << 16 | B1 << 8 | B0; the
 * little-endian hash64 encoder wants them as [B0, B1, B2].
 */
function orderFromGroups(groups: ReadonlyArray<readonly number[]>): number[] {
  return groups.flatMap((group) => [...group].reverse());
}

const SHA256_GROUPS = [
  [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14],
  [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29],
  [31, 30], // final group: 0, d[31], d[30], three characters
];
const SHA512_GROUPS = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
  [63], // final group: 0, 0, d[63], two characters
];

const VARIANTS: Record<ShaCryptId, ShaCryptVariant> = {
  '5': {
    id: '5',
    name: 'sha256_crypt',
    digest: 'sha256',
    digestBytes: 32,
    checksumLength: 43,
    order: orderFromGroups(SHA256_GROUPS),
    newBlock: () => new Sha256Block(),
  },
  '6': {
    id: '6',
    name: 'sha512_crypt',
    digest: 'sha512',
    digestBytes: 64,
    checksumLength: 86,
    order: orderFromGroups(SHA512_GROUPS),
    newBlock: () => new Sha512Block(),
  },
};

/** Rounds when a hash names none (the specification's default). */
export const SHA_CRYPT_DEFAULT_ROUNDS = 5000;
/** Fewest rounds the specification (and passlib) allow. */
export const SHA_CRYPT_MIN_ROUNDS = 1000;
const MAX_SALT_LENGTH = 16;

/** Rounds run between yields to the event loop in the asynchronous path. */
const ROUNDS_PER_SLICE = 20_000;

/** The parts of a `$5$` / `$6$` hash string. */
export interface ParsedShaCrypt {
  id: ShaCryptId;
  rounds: number;
  /** Whether the string spelled `rounds=`; without it the rounds are 5000. */
  explicitRounds: boolean;
  salt: string;
  checksum: string;
}

// Decimal rounds without leading zeros (passlib refuses zero-padded rounds), salt of
// up to 16 hash64 characters, checksum of hash64 characters.
const SHA_CRYPT_PATTERN = /^\$([56])\$(?:rounds=([1-9][0-9]{0,9})\$)?([./0-9A-Za-z]{0,16})\$([./0-9A-Za-z]{43}|[./0-9A-Za-z]{86})$/;

/** Parses a SHA-crypt hash; null unless well-formed and within the rounds limits. */
export function parseShaCrypt(hash: string, maxRounds = MAX_SHA_CRYPT_ROUNDS): ParsedShaCrypt | null {
  const match = SHA_CRYPT_PATTERN.exec(hash);
  if (!match) return null;
  const id = match[1] as ShaCryptId;
  const rounds = match[2] === undefined ? SHA_CRYPT_DEFAULT_ROUNDS : Number(match[2]);
  if (rounds < SHA_CRYPT_MIN_ROUNDS || rounds > maxRounds) return null;
  if (match[4].length !== VARIANTS[id].checksumLength) return null;
  return { id, rounds, explicitRounds: match[2] !== undefined, salt: match[3], checksum: match[4] };
}

/** Formats a SHA-crypt hash; rounds are always spelled out, which passlib and glibc both read. */
export function formatShaCrypt(id: ShaCryptId, rounds: number, salt: string, checksum: string): string {
  return `$${id}$rounds=${rounds}$${salt}$${checksum}`;
}

/** The checksum (hash64 text) of `password` with this salt and rounds, computed synchronously. */
export function shaCryptChecksum(id: ShaCryptId, password: Uint8Array, salt: string, rounds: number): string {
  const computation = new ShaCryptComputation(VARIANTS[id], password, salt);
  computation.run(rounds);
  return computation.checksum();
}

/** As shaCryptChecksum, yielding to the event loop every few milliseconds. */
export async function shaCryptChecksumAsync(
  id: ShaCryptId,
  password: Uint8Array,
  salt: string,
  rounds: number,
): Promise<string> {
  const computation = new ShaCryptComputation(VARIANTS[id], password, salt);
  for (let done = 0; done < rounds; done += ROUNDS_PER_SLICE) {
    if (done > 0) await yieldToEventLoop();
    computation.run(Math.min(ROUNDS_PER_SLICE, rounds - done));
  }
  return computation.checksum();
}

/** Constant-time comparison of a computed checksum with the stored one (equal lengths by construction). */
export function checksumsEqual(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, 'latin1');
  const b = Buffer.from(stored, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Verifies `$5$` and `$6$` password hashes (passlib's sha256_crypt and sha512_crypt). */
export const shaCryptFormat: PasswordFormat = {
  name: 'sha256_crypt/sha512_crypt',
  identify: (hash) => hash.startsWith('$5$') || hash.startsWith('$6$'),
  async verify(secret, hash) {
    const parsed = parseShaCrypt(hash);
    if (!parsed) return false;
    const computed = await shaCryptChecksumAsync(parsed.id, Buffer.from(secret, 'utf8'), parsed.salt, parsed.rounds);
    return checksumsEqual(computed, parsed.checksum);
  },
};

/**
 * How one round lays out its message. Odd rounds hash P' [S'] [P'] C and
 * even rounds C [S'] [P'] P', where C is the previous digest; the rest of
 * each of the eight layouts (odd/even x i%3 x i%7) never changes, so it is
 * built once with its padding, and the constant prefix of odd rounds is
 * compressed once into a saved mid-state.
 */
interface RoundLayout {
  /** Message bytes from the first block not covered by `midState`, padded. */
  readonly buffer: Uint8Array;
  /** Where the previous digest goes in `buffer`. */
  readonly slot: number;
  readonly blocks: number;
  /** State after the constant whole blocks at the start; null to start from the initial value. */
  readonly midState: Int32Array | null;
}

class ShaCryptComputation {
  private readonly block: Sha2Block;
  private readonly layouts: RoundLayout[] = [];
  private round = 0;

  constructor(
    private readonly variant: ShaCryptVariant,
    password: Uint8Array,
    saltText: string,
  ) {
    const salt = Buffer.from(saltText.slice(0, MAX_SALT_LENGTH), 'latin1');
    const { digest, digestBytes: size } = variant;
    const length = password.length;

    // Digest B = H(P S P)
    const b = createHash(digest).update(password).update(salt).update(password).digest();
    // Digest A = H(P S, then B for each whole digest length of P and the rest of
    // B's first bytes, then for each bit of len(P) from the lowest: B if 1, P if 0).
    const a = createHash(digest).update(password).update(salt);
    for (let left = length; left > 0; left -= size) a.update(left >= size ? b : b.subarray(0, left));
    for (let bits = length; bits > 0; bits >>>= 1) a.update(bits & 1 ? b : password);
    const digestA = a.digest();
    // P' = H(P repeated len(P) times), stretched or cut to len(P) bytes.
    const dp = createHash(digest);
    for (let i = 0; i < length; i++) dp.update(password);
    const pPrime = repeatTo(dp.digest(), length);
    // S' = H(S repeated 16 + A[0] times), cut to len(S) bytes.
    const ds = createHash(digest);
    for (let i = 0; i < 16 + digestA[0]; i++) ds.update(salt);
    const sPrime = ds.digest().subarray(0, salt.length);

    this.block = variant.newBlock();
    for (let index = 0; index < 8; index++) this.layouts.push(this.layout(index, pPrime, sPrime));
    this.block.readDigest(digestA, 0);
  }

  /** Runs the next `count` rounds. */
  run(count: number): void {
    const block = this.block;
    const layouts = this.layouts;
    const end = this.round + count;
    for (let i = this.round; i < end; i++) {
      const layout = layouts[(i & 1 ? 4 : 0) | (i % 3 !== 0 ? 1 : 0) | (i % 7 !== 0 ? 2 : 0)];
      block.writeDigest(layout.buffer, layout.slot);
      if (layout.midState) block.state.set(layout.midState);
      else block.init();
      block.compress(layout.buffer, 0, layout.blocks);
    }
    this.round = end;
  }

  checksum(): string {
    const out = new Uint8Array(this.block.digestBytes);
    this.block.writeDigest(out, 0);
    return encodeHash64(out, this.variant.order);
  }

  private layout(index: number, pPrime: Uint8Array, sPrime: Uint8Array): RoundLayout {
    const odd = (index & 4) !== 0;
    const middle: Uint8Array[] = [];
    if (index & 1) middle.push(sPrime);
    if (index & 2) middle.push(pPrime);
    const size = this.block.digestBytes;
    const blockBytes = this.block.blockBytes;
    const slotMarker = new Uint8Array(size);
    const parts = odd ? [pPrime, ...middle, slotMarker] : [slotMarker, ...middle, pPrime];
    const message = Buffer.concat(parts);
    const slotInMessage = odd ? message.length - size : 0;
    // Whole blocks before the digest's slot are the same every round of this layout.
    const constantBlocks = Math.floor(slotInMessage / blockBytes);
    let midState: Int32Array | null = null;
    if (constantBlocks > 0) {
      this.block.init();
      this.block.compress(message, 0, constantBlocks);
      midState = Int32Array.from(this.block.state);
    }
    const skipped = constantBlocks * blockBytes;
    const tail = message.subarray(skipped);
    const buffer = new Uint8Array(paddedLength(tail.length, blockBytes));
    buffer.set(tail);
    writePadding(buffer, tail.length, message.length, blockBytes);
    return { buffer, slot: slotInMessage - skipped, blocks: buffer.length / blockBytes, midState };
  }
}

/** `bytes` repeated and cut to `length`. */
function repeatTo(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += bytes.length) out.set(bytes.subarray(0, Math.min(bytes.length, length - at)), at);
  return out;
}
