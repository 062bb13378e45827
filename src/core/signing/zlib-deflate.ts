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
  /** How many codes of each length; the codes themselves are assigned only when emitting. */
  readonly blCount = new Int32Array(MAX_BITS + 1);
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
  }
}

// Reused state: compression is synchronous and never re-entered.
const windowBytes = new Uint8Array(MAX_EXACT_INPUT + 2 * MAX_MATCH + 8);
const head = new Uint16Array(HASH_SIZE);
const headStamp = new Uint32Array(HASH_SIZE); // head[h] is valid only when stamped by this call
const prev = new Uint16Array(W_SIZE);
const symDist = new Uint16Array(MAX_EXACT_INPUT + 1);
const symLc = new Uint8Array(MAX_EXACT_INPUT + 1);
const ltree = new Tree(L_CODES, STATIC_LTREE_LEN, EXTRA_LBITS, LITERALS + 1, MAX_BITS);
const dtree = new Tree(D_CODES, STATIC_DTREE_LEN, EXTRA_DBITS, 0, MAX_BITS);
const bltree = new Tree(BL_CODES, null, EXTRA_BLBITS, 0, MAX_BL_BITS);
const heap = new Int32Array(HEAP_SIZE);
const depth = new Uint8Array(HEAP_SIZE);
// Counters live on an object: hot loops read object fields faster than module-level lets.
const st = { stamp: 0, symCount: 0, heapMax: 0, optLen: 0, staticLen: 0, bitPos: 0, bitBuf: 0, bitCount: 0 };

/**
 * The zlib stream of `input` if it is shorter than `limit` bytes, else
 * undefined. `limit` must not exceed the input's length (a stored block is
 * never shorter than the input, so it is not produced).
 */
export function zlibCompressIfShorter(input: Uint8Array, limit: number): Buffer | undefined {
  const n = input.length;
  if (n > MAX_EXACT_INPUT) {
    const out = deflateSync(input);
    return out.length < limit ? out : undefined;
  }
  // The shortest zlib stream (of nothing) is 8 bytes.
  if (limit <= 8 || limit > n) return undefined;

  windowBytes.set(input, 0);
  windowBytes.fill(0, n, n + MAX_MATCH + 2);
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
  out.writeUInt32BE(adler32(input), st.bitPos);
  bitOut = EMPTY;
  return out;
}

// ---- LZ77 with lazy evaluation (zlib's deflate_slow) ----

function findMatches(n: number): void {
  st.stamp = (st.stamp + 1) >>> 0;
  if (st.stamp === 0) {
    headStamp.fill(0);
    st.stamp = 1;
  }
  const stamp = st.stamp;
  st.symCount = 0;
  ltree.freq.fill(0, 0, L_CODES);
  dtree.freq.fill(0, 0, D_CODES);
  ltree.freq[END_BLOCK] = 1;

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
      hashHead = headStamp[insH] === stamp ? head[insH] : 0;
      prev[strstart & W_MASK] = hashHead;
      head[insH] = strstart;
      headStamp[insH] = stamp;
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
          prev[strstart & W_MASK] = headStamp[insH] === stamp ? head[insH] : 0;
          head[insH] = strstart;
          headStamp[insH] = stamp;
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
  ltree.freq[byte]++;
}

function tallyMatch(dist: number, lengthMinus3: number): void {
  symDist[st.symCount] = dist;
  symLc[st.symCount++] = lengthMinus3;
  ltree.freq[LENGTH_CODE[lengthMinus3] + LITERALS + 1]++;
  dtree.freq[distCode(dist - 1)]++;
}

// ---- Huffman trees (zlib's trees.c: same heap order, same tie-breaks) ----

/** Restores the heap heap[1..size] below k; ties go to the shallower subtree, as zlib's smaller(). */
function siftDown(freq: Int32Array, k: number, size: number): void {
  const v = heap[k];
  const fv = freq[v];
  const dv = depth[v];
  let j = k << 1;
  while (j <= size) {
    let child = heap[j];
    if (j < size) {
      const right = heap[j + 1];
      const fr = freq[right];
      const fc = freq[child];
      if (fr < fc || (fr === fc && depth[right] <= depth[child])) {
        j++;
        child = right;
      }
    }
    const fc = freq[child];
    if (fv < fc || (fv === fc && dv <= depth[child])) break;
    heap[k] = child;
    k = j;
    j <<= 1;
  }
  heap[k] = v;
}

/** zlib's build_tree: Huffman tree by a heap, then its code lengths (and size accounting). */
function buildTree(tree: Tree): void {
  const { freq, len, dad, elems } = tree;
  let maxCode = -1;
  let heapLen = 0;
  let heapMax = HEAP_SIZE;
  for (let n = 0; n < elems; n++) {
    if (freq[n] !== 0) {
      heap[++heapLen] = maxCode = n;
      depth[n] = 0;
    } else {
      len[n] = 0;
    }
  }
  // Deflate wants at least two codes in every tree.
  while (heapLen < 2) {
    const node = (heap[++heapLen] = maxCode < 2 ? ++maxCode : 0);
    freq[node] = 1;
    depth[node] = 0;
    st.optLen--;
    if (tree.staticLen) st.staticLen -= tree.staticLen[node];
  }
  tree.maxCode = maxCode;
  for (let n = heapLen >> 1; n >= 1; n--) siftDown(freq, n, heapLen);

  let node = elems;
  do {
    const n = heap[1];
    heap[1] = heap[heapLen--];
    siftDown(freq, 1, heapLen);
    const m = heap[1];
    heap[--heapMax] = n;
    heap[--heapMax] = m;
    freq[node] = freq[n] + freq[m];
    depth[node] = (depth[n] >= depth[m] ? depth[n] : depth[m]) + 1;
    dad[n] = dad[m] = node;
    heap[1] = node++;
    siftDown(freq, 1, heapLen);
  } while (heapLen >= 2);
  heap[--heapMax] = heap[1];
  st.heapMax = heapMax;

  assignLengths(tree);
}

function assignTreeCodes(tree: Tree): void {
  assignCodes(tree.len, tree.code, tree.maxCode, tree.blCount);
}

/** Code lengths from the tree, limited to maxLength as zlib's gen_bitlen; accumulates optLen/staticLen. */
function assignLengths(tree: Tree): void {
  const { freq, len, dad, maxCode, extraBits, extraBase, maxLength, blCount } = tree;
  const stat = tree.staticLen;
  blCount.fill(0);
  len[heap[st.heapMax]] = 0;
  let overflow = 0;
  let optLen = 0;
  let staticLen = 0;
  let h = st.heapMax + 1;
  for (; h < HEAP_SIZE; h++) {
    const n = heap[h];
    let bits = len[dad[n]] + 1;
    if (bits > maxLength) {
      bits = maxLength;
      overflow++;
    }
    len[n] = bits;
    if (n > maxCode) continue; // internal node
    blCount[bits]++;
    const xbits = n >= extraBase ? extraBits[n - extraBase] : 0;
    const f = freq[n];
    optLen += f * (bits + xbits);
    if (stat) staticLen += f * (stat[n] + xbits);
  }
  st.optLen += optLen;
  st.staticLen += staticLen;
  if (overflow === 0) return;

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
      const m = heap[--h];
      if (m > maxCode) continue;
      if (len[m] !== bits) {
        st.optLen += (bits - len[m]) * freq[m];
        len[m] = bits;
      }
      count--;
    }
  }
}

/** Counts the code-length codes needed to send a tree's lengths (run-length coded). */
function scanTree(lengths: Int32Array, maxCode: number): void {
  const blFreq = bltree.freq;
  let prevLen = -1;
  let nextLen = lengths[0];
  let count = 0;
  let maxCount = nextLen === 0 ? 138 : 7;
  let minCount = nextLen === 0 ? 3 : 4;
  lengths[maxCode + 1] = 0xffff; // guard
  for (let n = 0; n <= maxCode; n++) {
    const curLen = nextLen;
    nextLen = lengths[n + 1];
    if (++count < maxCount && curLen === nextLen) continue;
    if (count < minCount) blFreq[curLen] += count;
    else if (curLen !== 0) {
      if (curLen !== prevLen) blFreq[curLen]++;
      blFreq[REP_3_6]++;
    } else if (count <= 10) blFreq[REPZ_3_10]++;
    else blFreq[REPZ_11_138]++;
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
}

function buildBlTree(): number {
  bltree.freq.fill(0, 0, BL_CODES);
  scanTree(ltree.len, ltree.maxCode);
  scanTree(dtree.len, dtree.maxCode);
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

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  let i = 0;
  const n = data.length;
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
