import { deflateSync } from 'node:zlib';

/*
 * zlib.compress(data) as CPython does it (stock zlib, level 6, 32 KiB windowBytes,
 * memLevel 8), reimplemented so that:
 *  - tokens with compressed payloads are byte-identical to itsdangerous's.
 *    Node's bundled zlib is a fork whose deflate picks different matches, so
 *    it neither produces the same bytes nor always makes the same "is it
 *    shorter?" decision;
 *  - the common case, a short payload that does not compress, costs a few
 *    microseconds: the size is computed from the trees and nothing is emitted.
 *    (zlib.deflateSync sets up a fresh stream per call, which alone is slower
 *    than Python's whole dumps.)
 * It follows zlib's deflate_slow (lazy matching), longest_match and trees.c
 * decisions step for step, for inputs that fit one block without sliding the
 * windowBytes (up to MAX_EXACT_INPUT bytes). Longer inputs go to Node's zlib: still
 * valid, only not byte-identical.
 */

/** Inputs up to this size are compressed exactly as stock zlib does (one block, no windowBytes slide). */
export const MAX_EXACT_INPUT = 16382;

const W_SIZE = 32768;
const W_MASK = W_SIZE - 1;
const HASH_SIZE = 32768;
const HASH_MASK = HASH_SIZE - 1;
const HASH_SHIFT = 5;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
const MAX_DIST = W_SIZE - MIN_LOOKAHEAD;
const TOO_FAR = 4096;
// Level 6 of zlib's configuration table.
const GOOD_LENGTH = 8;
const MAX_LAZY = 16;
const NICE_LENGTH = 128;
const MAX_CHAIN = 128;

const LITERALS = 256;
const END_BLOCK = 256;
const LENGTH_CODES = 29;
const L_CODES = LITERALS + 1 + LENGTH_CODES;
const D_CODES = 30;
const BL_CODES = 19;
const HEAP_SIZE = 2 * L_CODES + 1;
const MAX_BITS = 15;
const MAX_BL_BITS = 7;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;

const EXTRA_LBITS = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
const EXTRA_DBITS = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
const EXTRA_BLBITS = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7);
const BL_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

// Match length (minus 3) -> length code, and distance -> distance code, as RFC 1951.
const LENGTH_CODE = new Uint8Array(256);
const BASE_LENGTH = new Uint16Array(LENGTH_CODES);
const DIST_CODE = new Uint8Array(512);
const BASE_DIST = new Uint16Array(D_CODES);
{
  let length = 0;
  let code = 0;
  for (; code < LENGTH_CODES - 1; code++) {
    BASE_LENGTH[code] = length;
    for (let n = 0; n < 1 << EXTRA_LBITS[code]; n++) LENGTH_CODE[length++] = code;
  }
  // Length 258 has its own code; it replaces the last entry of code 27.
  LENGTH_CODE[length - 1] = code;
  let dist = 0;
  for (code = 0; code < 16; code++) {
    BASE_DIST[code] = dist;
    for (let n = 0; n < 1 << EXTRA_DBITS[code]; n++) DIST_CODE[dist++] = code;
  }
  dist >>= 7;
  for (; code < D_CODES; code++) {
    BASE_DIST[code] = dist << 7;
    for (let n = 0; n < 1 << (EXTRA_DBITS[code] - 7); n++) DIST_CODE[256 + dist++] = code;
  }
}

function distCode(dist: number): number {
  return dist < 256 ? DIST_CODE[dist] : DIST_CODE[256 + (dist >> 7)];
}

function reverseBits(code: number, length: number): number {
  let result = 0;
  do {
    result |= code & 1;
    code >>>= 1;
    result <<= 1;
  } while (--length > 0);
  return result >>> 1;
}

/** Canonical Huffman codes from code lengths (RFC 1951 3.2.2), bit-reversed for LSB-first output. */
const nextCode = new Int32Array(MAX_BITS + 1);

function assignCodes(lengths: Int32Array, codes: Int32Array, maxCode: number, blCount: Int32Array): void {
  let code = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    code = (code + blCount[bits - 1]) << 1;
    nextCode[bits] = code;
  }
  for (let n = 0; n <= maxCode; n++) {
    const len = lengths[n];
    if (len !== 0) codes[n] = reverseBits(nextCode[len]++, len);
  }
}

// The fixed Huffman trees of RFC 1951.
const STATIC_LTREE_LEN = new Int32Array(L_CODES + 2);
const STATIC_LTREE_CODE = new Int32Array(L_CODES + 2);
const STATIC_DTREE_LEN = new Int32Array(D_CODES).fill(5);
const STATIC_DTREE_CODE = new Int32Array(D_CODES);
{
  const blCount = new Int32Array(MAX_BITS + 1);
  for (let n = 0; n < L_CODES + 2; n++) {
    const len = n <= 143 ? 8 : n <= 255 ? 9 : n <= 279 ? 7 : 8;
    STATIC_LTREE_LEN[n] = len;
    blCount[len]++;
  }
  assignCodes(STATIC_LTREE_LEN, STATIC_LTREE_CODE, L_CODES + 1, blCount);
  for (let n = 0; n < D_CODES; n++) STATIC_DTREE_CODE[n] = reverseBits(n, 5);
}

/** One dynamic Huffman tree: leaves first, then internal nodes (heap-built). */
class Tree {
  readonly freq: Int32Array;
  readonly len: Int32Array;
  readonly dad: Int32Array;
  readonly code: Int32Array;
  /** How many codes of each length, counted by countLengths when needed. */
  readonly blCount = new Int32Array(MAX_BITS + 1);
  /**
   * Bit s is set when leaf s has a frequency (and so, after buildTree, a
   * length). A payload uses a few dozen of the 286 literal/length codes:
   * walking this bitmap visits them in ascending order, the order zlib puts
   * them into its heap, without scanning the unused ones. Every leaf not in
   * it has freq 0 and len 0, which sendTree and assignCodes rely on.
   */
  readonly used: Int32Array;
  maxCode = 0;

  constructor(
    readonly elems: number,
    readonly staticLen: Int32Array | null,
    readonly extraBits: Uint8Array,
    readonly extraBase: number,
    readonly maxLength: number,
  ) {
    const size = 2 * elems + 1;
    this.freq = new Int32Array(size);
    this.len = new Int32Array(size);
    this.dad = new Int32Array(size);
    this.code = new Int32Array(size);
    this.used = new Int32Array((elems + 31) >> 5);
  }
}

/** Clears the leaves the previous call used, so freq and len are all zero again. */
function resetTree(tree: Tree): void {
  const { used, freq, len } = tree;
  for (let w = 0; w < used.length; w++) {
    let bits = used[w];
    while (bits !== 0) {
      const low = bits & -bits;
      const s = (w << 5) + 31 - Math.clz32(low);
      freq[s] = 0;
      len[s] = 0;
      bits ^= low;
    }
    used[w] = 0;
  }
}

// Reused state: compression is synchronous and never re-entered.
const windowBytes = new Uint8Array(MAX_EXACT_INPUT + 2 * MAX_MATCH + 8);
// head[h] holds (stamp << POS_BITS) | position: an entry written by an earlier
// call has another stamp and reads as empty, so the table is never cleared per call.
const POS_BITS = 14; // MAX_EXACT_INPUT < 2^14
const POS_MASK = (1 << POS_BITS) - 1;
const MAX_STAMP = (1 << (31 - POS_BITS)) - 1; // keeps entries non-negative int32
const head = new Int32Array(HASH_SIZE);
const prev = new Uint16Array(W_SIZE);
const symDist = new Uint16Array(MAX_EXACT_INPUT + 1);
const symLc = new Uint8Array(MAX_EXACT_INPUT + 1);
const ltree = new Tree(L_CODES, STATIC_LTREE_LEN, EXTRA_LBITS, LITERALS + 1, MAX_BITS);
const dtree = new Tree(D_CODES, STATIC_DTREE_LEN, EXTRA_DBITS, 0, MAX_BITS);
const bltree = new Tree(BL_CODES, null, EXTRA_BLBITS, 0, MAX_BL_BITS);
const lFreq = ltree.freq;
const lUsed = ltree.used;
const dFreq = dtree.freq;
const dUsed = dtree.used;
// zlib's heap array in two parts. queue[1..heapLen] is the priority queue,
// each entry packed as freq << 16 | depth << 10 | node, so that comparing
// entry >> 10 is zlib's smaller() (freq first, then depth) in one step.
// The fields fit: a tree's total frequency is at most 16385 (< 2^15); a
// Huffman subtree of height h weighs at least Fibonacci(h + 1), so depth stays
// below 21 (< 2^6; zlib's depth byte therefore never wraps); nodes number
// fewer than 2 * L_CODES + 1 = 573 (< 2^10).
// order[heapMax..HEAP_SIZE-1] are the nodes in the order they left the queue,
// root first, which assignLengths walks.
const DEPTH_SHIFT = 10;
const FREQ_SHIFT = 16;
const NODE_MASK = (1 << DEPTH_SHIFT) - 1;
const DEPTH_MASK = (1 << (FREQ_SHIFT - DEPTH_SHIFT)) - 1;
const queue = new Int32Array(HEAP_SIZE);
const order = new Int32Array(HEAP_SIZE);
// Counters live on an object: hot loops read object fields faster than module-level lets.
const st = { stamp: 0, symCount: 0, heapMax: 0, optLen: 0, staticLen: 0, bitPos: 0, bitBuf: 0, bitCount: 0, windowEnd: 0 };

/**
 * The zlib stream of `input` (its first `length` bytes) if it is shorter than
 * `limit` bytes, else undefined. `limit` must not exceed that length (a
 * stored block is never shorter than the input, so it is not produced).
 */
export function zlibCompressIfShorter(input: Uint8Array, limit: number, length = input.length): Buffer | undefined {
  const n = length;
  if (n > MAX_EXACT_INPUT) {
    const out = deflateSync(input.subarray(0, n));
    return out.length < limit ? out : undefined;
  }
  // The shortest zlib stream (of nothing) is 8 bytes.
  if (limit <= 8 || limit > n) return undefined;

  // Matches may be compared past the input's end, where zlib's window holds
  // zeros. Bytes past windowEnd are zero already; only clear what a longer
  // earlier input left.
  windowBytes.set(n === input.length ? input : input.subarray(0, n), 0);
  if (st.windowEnd > n) windowBytes.fill(0, n, st.windowEnd);
  st.windowEnd = n;
  findMatches(n);

  st.optLen = 0;
  st.staticLen = 0;
  buildTree(ltree);
  buildTree(dtree);
  const maxBlIndex = buildBlTree();
  let optLenBytes = (st.optLen + 3 + 7) >> 3;
  const staticLenBytes = (st.staticLen + 3 + 7) >> 3;
  if (staticLenBytes <= optLenBytes) optLenBytes = staticLenBytes;
  if (n + 4 <= optLenBytes) return undefined; // zlib would store it: longer than the input
  const size = 2 + optLenBytes + 4;
  if (size >= limit) return undefined;

  const out = Buffer.allocUnsafe(size);
  out[0] = 0x78; // deflate, 32 KiB windowBytes
  out[1] = 0x9c; // default level, check bits
  st.bitPos = 2;
  st.bitBuf = 0;
  st.bitCount = 0;
  bitOut = out;
  if (staticLenBytes === optLenBytes) {
    sendBits((1 << 1) + 1, 3); // last block, fixed trees
    writeSymbols(STATIC_LTREE_CODE, STATIC_LTREE_LEN, STATIC_DTREE_CODE, STATIC_DTREE_LEN);
  } else {
    sendBits((2 << 1) + 1, 3); // last block, dynamic trees
    assignTreeCodes(ltree);
    assignTreeCodes(dtree);
    assignTreeCodes(bltree);
    writeTrees(ltree.maxCode + 1, dtree.maxCode + 1, maxBlIndex + 1);
    writeSymbols(ltree.code, ltree.len, dtree.code, dtree.len);
  }
  if (st.bitCount > 0) out[st.bitPos++] = st.bitBuf & 0xff;
  out.writeUInt32BE(adler32(windowBytes, n), st.bitPos);
  bitOut = EMPTY;
  return out;
}

// ---- LZ77 with lazy evaluation (zlib's deflate_slow) ----

function findMatches(n: number): void {
  if (st.stamp === MAX_STAMP) {
    head.fill(0);
    st.stamp = 0;
  }
  const stamp = ++st.stamp;
  const stampBits = stamp << POS_BITS;
  st.symCount = 0;
  resetTree(ltree);
  resetTree(dtree);
  lFreq[END_BLOCK] = 1;
  lUsed[END_BLOCK >> 5] |= 1 << (END_BLOCK & 31);

  let strstart = 0;
  let lookahead = n;
  let insH = 0;
  let matchLength = MIN_MATCH - 1;
  let matchStart = 0;
  let prevLength = MIN_MATCH - 1;
  let prevMatch = 0;
  let matchAvailable = false;
  if (n >= MIN_MATCH) insH = ((windowBytes[0] << HASH_SHIFT) ^ windowBytes[1]) & HASH_MASK;

  while (lookahead !== 0) {
    let hashHead = 0;
    if (lookahead >= MIN_MATCH) {
      insH = ((insH << HASH_SHIFT) ^ windowBytes[strstart + MIN_MATCH - 1]) & HASH_MASK;
      const entry = head[insH];
      hashHead = entry >>> POS_BITS === stamp ? entry & POS_MASK : 0;
      prev[strstart & W_MASK] = hashHead;
      head[insH] = stampBits | strstart;
    }
    prevLength = matchLength;
    prevMatch = matchStart;
    matchLength = MIN_MATCH - 1;

    // Position 0 doubles as "no match" in zlib's hash chains, so it is never matched.
    if (hashHead !== 0 && prevLength < MAX_LAZY && strstart - hashHead <= MAX_DIST) {
      // longest_match: walk the hash chain for the longest match beyond prevLength.
      let chainLength = prevLength >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN;
      const niceMatch = NICE_LENGTH > lookahead ? lookahead : NICE_LENGTH;
      const limit = strstart > MAX_DIST ? strstart - MAX_DIST : 0;
      let bestLen = prevLength;
      let scanEnd1 = windowBytes[strstart + bestLen - 1];
      let scanEnd = windowBytes[strstart + bestLen];
      let curMatch = hashHead;
      do {
        if (
          windowBytes[curMatch + bestLen] !== scanEnd ||
          windowBytes[curMatch + bestLen - 1] !== scanEnd1 ||
          windowBytes[curMatch] !== windowBytes[strstart] ||
          windowBytes[curMatch + 1] !== windowBytes[strstart + 1]
        ) {
          continue;
        }
        // The third byte is implied by equal hashes; compare from the fourth.
        let len = 3;
        while (len < MAX_MATCH && windowBytes[strstart + len] === windowBytes[curMatch + len]) len++;
        if (len > bestLen) {
          matchStart = curMatch;
          bestLen = len;
          if (len >= niceMatch) break;
          scanEnd1 = windowBytes[strstart + bestLen - 1];
          scanEnd = windowBytes[strstart + bestLen];
        }
      } while ((curMatch = prev[curMatch & W_MASK]) > limit && --chainLength !== 0);
      matchLength = bestLen <= lookahead ? bestLen : lookahead;

      // A 3-byte match far away costs more than three literals.
      if (matchLength === MIN_MATCH && strstart - matchStart > TOO_FAR) matchLength = MIN_MATCH - 1;
    }

    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      // The previous match is at least as good: emit it.
      const maxInsert = strstart + lookahead - MIN_MATCH;
      tallyMatch(strstart - 1 - prevMatch, prevLength - MIN_MATCH);
      lookahead -= prevLength - 1;
      prevLength -= 2;
      do {
        if (++strstart <= maxInsert) {
          insH = ((insH << HASH_SHIFT) ^ windowBytes[strstart + MIN_MATCH - 1]) & HASH_MASK;
          const entry = head[insH];
          prev[strstart & W_MASK] = entry >>> POS_BITS === stamp ? entry & POS_MASK : 0;
          head[insH] = stampBits | strstart;
        }
      } while (--prevLength !== 0);
      matchAvailable = false;
      matchLength = MIN_MATCH - 1;
      strstart++;
    } else if (matchAvailable) {
      tallyLiteral(windowBytes[strstart - 1]);
      strstart++;
      lookahead--;
    } else {
      matchAvailable = true;
      strstart++;
      lookahead--;
    }
  }
  if (matchAvailable) tallyLiteral(windowBytes[strstart - 1]);
}

function tallyLiteral(byte: number): void {
  symDist[st.symCount] = 0;
  symLc[st.symCount++] = byte;
  if (lFreq[byte]++ === 0) lUsed[byte >> 5] |= 1 << (byte & 31);
}

function tallyMatch(dist: number, lengthMinus3: number): void {
  symDist[st.symCount] = dist;
  symLc[st.symCount++] = lengthMinus3;
  const lc = LENGTH_CODE[lengthMinus3] + LITERALS + 1;
  if (lFreq[lc]++ === 0) lUsed[lc >> 5] |= 1 << (lc & 31);
  const dc = distCode(dist - 1);
  if (dFreq[dc]++ === 0) dUsed[dc >> 5] |= 1 << (dc & 31);
}

// ---- Huffman trees (zlib's trees.c: same heap order, same tie-breaks) ----

/** Restores the queue[1..size] below k; ties go to the shallower subtree, as zlib's smaller(). */
function siftDown(k: number, size: number): void {
  const entry = queue[k];
  const key = entry >> DEPTH_SHIFT;
  let j = k << 1;
  while (j <= size) {
    let child = queue[j];
    if (j < size) {
      // zlib takes the right child when it is smaller or equal.
      const right = queue[j + 1];
      if (right >> DEPTH_SHIFT <= child >> DEPTH_SHIFT) {
        j++;
        child = right;
      }
    }
    if (key <= child >> DEPTH_SHIFT) break;
    queue[k] = child;
    k = j;
    j <<= 1;
  }
  queue[k] = entry;
}

/** zlib's build_tree: Huffman tree by a heap, then its code lengths (and size accounting). */
function buildTree(tree: Tree): void {
  const { freq, dad, elems, used } = tree;
  let maxCode = -1;
  let heapLen = 0;
  let heapMax = HEAP_SIZE;
  // The used leaves in ascending order (depth 0), as zlib's scan of all codes finds them.
  for (let w = 0; w < used.length; w++) {
    let bits = used[w];
    while (bits !== 0) {
      const low = bits & -bits;
      const n = (w << 5) + 31 - Math.clz32(low);
      queue[++heapLen] = (freq[n] << FREQ_SHIFT) | n;
      maxCode = n;
      bits ^= low;
    }
  }
  // Deflate wants at least two codes in every tree.
  while (heapLen < 2) {
    const node = maxCode < 2 ? ++maxCode : 0;
    queue[++heapLen] = (1 << FREQ_SHIFT) | node;
    freq[node] = 1;
    used[node >> 5] |= 1 << (node & 31);
    st.optLen--;
    if (tree.staticLen) st.staticLen -= tree.staticLen[node];
  }
  tree.maxCode = maxCode;
  for (let n = heapLen >> 1; n >= 1; n--) siftDown(n, heapLen);

  let node = elems;
  do {
    const first = queue[1];
    queue[1] = queue[heapLen--];
    siftDown(1, heapLen);
    const second = queue[1];
    const n = first & NODE_MASK;
    const m = second & NODE_MASK;
    order[--heapMax] = n;
    order[--heapMax] = m;
    dad[n] = dad[m] = node;
    const nDepth = (first >> DEPTH_SHIFT) & DEPTH_MASK;
    const mDepth = (second >> DEPTH_SHIFT) & DEPTH_MASK;
    const freqSum = (first >> FREQ_SHIFT) + (second >> FREQ_SHIFT);
    queue[1] = (freqSum << FREQ_SHIFT) | (((nDepth >= mDepth ? nDepth : mDepth) + 1) << DEPTH_SHIFT) | node++;
    siftDown(1, heapLen);
  } while (heapLen >= 2);
  order[--heapMax] = queue[1] & NODE_MASK;
  st.heapMax = heapMax;

  assignLengths(tree);
}

function assignTreeCodes(tree: Tree): void {
  countLengths(tree);
  assignCodes(tree.len, tree.code, tree.maxCode, tree.blCount);
}

/**
 * tree.blCount from the leaves' lengths. Only needed to fix lengths over the
 * limit and to assign codes, both rare, so it is not kept up to date on the
 * way. (Unused leaves have length 0.)
 */
function countLengths(tree: Tree): void {
  const { len, maxCode, blCount } = tree;
  blCount.fill(0);
  for (let n = 0; n <= maxCode; n++) if (len[n] !== 0) blCount[len[n]]++;
}

/** Code lengths from the tree, limited to maxLength as zlib's gen_bitlen; accumulates optLen/staticLen. */
function assignLengths(tree: Tree): void {
  const { freq, len, dad, maxCode, extraBits, extraBase, maxLength, blCount } = tree;
  const stat = tree.staticLen;
  len[order[st.heapMax]] = 0;
  let overflow = 0;
  let optLen = 0;
  let staticLen = 0;
  let h = st.heapMax + 1;
  for (; h < HEAP_SIZE; h++) {
    const n = order[h];
    let bits = len[dad[n]] + 1;
    if (bits > maxLength) {
      bits = maxLength;
      overflow++;
    }
    len[n] = bits;
    if (n > maxCode) continue; // internal node
    const xbits = n >= extraBase ? extraBits[n - extraBase] : 0;
    const f = freq[n];
    optLen += f * (bits + xbits);
    if (stat) staticLen += f * (stat[n] + xbits);
  }
  st.optLen += optLen;
  st.staticLen += staticLen;
  if (overflow === 0) return;

  countLengths(tree);
  do {
    let bits = maxLength - 1;
    while (blCount[bits] === 0) bits--;
    blCount[bits]--;
    blCount[bits + 1] += 2;
    blCount[maxLength]--;
    overflow -= 2;
  } while (overflow > 0);

  for (let bits = maxLength; bits !== 0; bits--) {
    let count = blCount[bits];
    while (count !== 0) {
      const m = order[--h];
      if (m > maxCode) continue;
      if (len[m] !== bits) {
        st.optLen += (bits - len[m]) * freq[m];
        len[m] = bits;
      }
      count--;
    }
  }
}

/**
 * Counts the code-length codes needed to send a tree's lengths, as zlib's
 * scan_tree does walking lengths[0..maxCode] one by one; here whole runs are
 * counted at once from the used leaves (every other length is zero).
 * zlib's rules per run: zeros go in chunks of up to 138 (under 3 as plain
 * zeros, 3-10 as REPZ_3_10, 11-138 as REPZ_11_138). A run of a nonzero
 * length first sends the length once followed by REP_3_6 for a chunk of
 * 4-7 (a shorter run is sent plainly), then chunks of up to 6 as REP_3_6
 * (under 3 plainly).
 */
function scanTree(tree: Tree): void {
  const { used, len } = tree;
  let next = 0; // the index after the last used leaf
  let runLength = 0;
  let runValue = 0;
  for (let w = 0; w < used.length; w++) {
    let bits = used[w];
    while (bits !== 0) {
      const low = bits & -bits;
      const n = (w << 5) + 31 - Math.clz32(low);
      bits ^= low;
      const value = len[n];
      if (n === next && value === runValue) {
        runLength++;
      } else {
        if (runLength !== 0) countLengthRun(runValue, runLength);
        if (n !== next) countZeroRun(n - next);
        runValue = value;
        runLength = 1;
      }
      next = n + 1;
    }
  }
  countLengthRun(runValue, runLength);
}

function countZeroRun(count: number): void {
  const blFreq = bltree.freq;
  for (; count >= 138; count -= 138) blFreq[REPZ_11_138]++;
  if (count === 0) return;
  if (count < 3) blFreq[0] += count;
  else if (count <= 10) blFreq[REPZ_3_10]++;
  else blFreq[REPZ_11_138]++;
}

function countLengthRun(value: number, count: number): void {
  const blFreq = bltree.freq;
  if (count < 4) {
    blFreq[value] += count;
    return;
  }
  blFreq[value]++;
  blFreq[REP_3_6]++;
  for (count -= 7; count >= 6; count -= 6) blFreq[REP_3_6]++;
  if (count <= 0) return;
  if (count < 3) blFreq[value] += count;
  else blFreq[REP_3_6]++;
}

function buildBlTree(): number {
  resetTree(bltree);
  scanTree(ltree);
  scanTree(dtree);
  const blFreq = bltree.freq;
  let blUsed = 0;
  for (let n = 0; n < BL_CODES; n++) if (blFreq[n] !== 0) blUsed |= 1 << n;
  bltree.used[0] = blUsed;
  buildTree(bltree);
  let maxBlIndex = BL_CODES - 1;
  for (; maxBlIndex >= 3; maxBlIndex--) {
    if (bltree.len[BL_ORDER[maxBlIndex]] !== 0) break;
  }
  st.optLen += 3 * (maxBlIndex + 1) + 5 + 5 + 4;
  return maxBlIndex;
}

// ---- Bit output ----

const EMPTY = Buffer.alloc(0);
let bitOut: Buffer = EMPTY;

function sendBits(value: number, length: number): void {
  st.bitBuf |= value << st.bitCount;
  st.bitCount += length;
  while (st.bitCount >= 8) {
    bitOut[st.bitPos++] = st.bitBuf & 0xff;
    st.bitBuf >>>= 8;
    st.bitCount -= 8;
  }
}

function sendTree(lengths: Int32Array, maxCode: number): void {
  // A guard that ends the last run: the slot after maxCode is an unused leaf
  // (length 0, restored below) or an internal node whose length means nothing here.
  const saved = lengths[maxCode + 1];
  lengths[maxCode + 1] = 0xffff;
  const blCode = bltree.code;
  const blLen = bltree.len;
  let prevLen = -1;
  let nextLen = lengths[0];
  let count = 0;
  let maxCount = nextLen === 0 ? 138 : 7;
  let minCount = nextLen === 0 ? 3 : 4;
  for (let n = 0; n <= maxCode; n++) {
    const curLen = nextLen;
    nextLen = lengths[n + 1];
    if (++count < maxCount && curLen === nextLen) continue;
    if (count < minCount) {
      do sendBits(blCode[curLen], blLen[curLen]);
      while (--count !== 0);
    } else if (curLen !== 0) {
      if (curLen !== prevLen) {
        sendBits(blCode[curLen], blLen[curLen]);
        count--;
      }
      sendBits(blCode[REP_3_6], blLen[REP_3_6]);
      sendBits(count - 3, 2);
    } else if (count <= 10) {
      sendBits(blCode[REPZ_3_10], blLen[REPZ_3_10]);
      sendBits(count - 3, 3);
    } else {
      sendBits(blCode[REPZ_11_138], blLen[REPZ_11_138]);
      sendBits(count - 11, 7);
    }
    count = 0;
    prevLen = curLen;
    if (nextLen === 0) {
      maxCount = 138;
      minCount = 3;
    } else if (curLen === nextLen) {
      maxCount = 6;
      minCount = 3;
    } else {
      maxCount = 7;
      minCount = 4;
    }
  }
  lengths[maxCode + 1] = saved;
}

function writeTrees(lcodes: number, dcodes: number, blcodes: number): void {
  sendBits(lcodes - 257, 5);
  sendBits(dcodes - 1, 5);
  sendBits(blcodes - 4, 4);
  for (let rank = 0; rank < blcodes; rank++) sendBits(bltree.len[BL_ORDER[rank]], 3);
  sendTree(ltree.len, lcodes - 1);
  sendTree(dtree.len, dcodes - 1);
}

function writeSymbols(lcode: Int32Array, llen: Int32Array, dcode: Int32Array, dlen: Int32Array): void {
  for (let i = 0; i < st.symCount; i++) {
    let dist = symDist[i];
    let lc = symLc[i];
    if (dist === 0) {
      sendBits(lcode[lc], llen[lc]);
      continue;
    }
    let code = LENGTH_CODE[lc];
    sendBits(lcode[code + LITERALS + 1], llen[code + LITERALS + 1]);
    let extra = EXTRA_LBITS[code];
    if (extra !== 0) {
      lc -= BASE_LENGTH[code];
      sendBits(lc, extra);
    }
    dist--;
    code = distCode(dist);
    sendBits(dcode[code], dlen[code]);
    extra = EXTRA_DBITS[code];
    if (extra !== 0) {
      dist -= BASE_DIST[code];
      sendBits(dist, extra);
    }
  }
  sendBits(lcode[END_BLOCK], llen[END_BLOCK]);
}

/** Adler-32 of data[0..n). */
function adler32(data: Uint8Array, n: number): number {
  let a = 1;
  let b = 0;
  let i = 0;
  while (i < n) {
    const end = Math.min(i + 5552, n); // the most bytes before the sums can overflow 2^32
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
