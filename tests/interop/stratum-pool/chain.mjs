// Bitcoin data structures the mock bitcoind needs to build templates and check submitted blocks: double SHA-256,
// compact targets, base58check addresses, transaction and block parsing. Hand-written (no bitcoin library is in the
// npm lock) because the mock must judge the pool's blocks independently of the pool's own util.js.
import { createHash } from 'node:crypto';

export const sha256d = (buf) => createHash('sha256').update(createHash('sha256').update(buf).digest()).digest();

/** Display order (RPC hex) of a hash computed in internal byte order. */
export const toDisplay = (hash) => Buffer.from(hash).reverse().toString('hex');

export function targetFromBits(bitsHex) {
  const bits = parseInt(bitsHex, 16);
  const exponent = bits >>> 24;
  const mantissa = BigInt(bits & 0x007fffff);
  return exponent <= 3 ? mantissa >> BigInt(8 * (3 - exponent)) : mantissa << BigInt(8 * (exponent - 3));
}

const DIFF1 = 0xffffn << 208n;

export const difficultyOf = (target) => Number(DIFF1) / Number(target);

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Decodes a base58check string; null when it is not one (bad character or checksum). */
export function base58checkDecode(text) {
  let n = 0n;
  for (const c of text) {
    const digit = ALPHABET.indexOf(c);
    if (digit < 0) return null;
    n = n * 58n + BigInt(digit);
  }
  const hex = n === 0n ? '' : n.toString(16);
  const body = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
  const leadingZeros = text.length - text.replace(/^1+/, '').length;
  const bytes = Buffer.concat([Buffer.alloc(leadingZeros), body]);
  if (bytes.length < 5) return null;
  const payload = bytes.subarray(0, bytes.length - 4);
  return sha256d(payload).subarray(0, 4).equals(bytes.subarray(bytes.length - 4)) ? payload : null;
}

/** Regtest/testnet legacy addresses: version 0x6f (P2PKH) and 0xc4 (P2SH). */
export function scriptForAddress(address) {
  const payload = base58checkDecode(address);
  if (!payload || payload.length !== 21) return null;
  const hash = payload.subarray(1).toString('hex');
  if (payload[0] === 0x6f) return '76a914' + hash + '88ac';
  if (payload[0] === 0xc4) return 'a914' + hash + '87';
  return null;
}

export function varInt(n) {
  if (n < 0xfd) return Buffer.from([n]);
  const b = Buffer.alloc(3);
  b[0] = 0xfd;
  b.writeUInt16LE(n, 1);
  return b;
}

/** A cursor over a serialized block or transaction; every read past the end throws. */
class Reader {
  constructor(buf) {
    this.buf = buf;
    this.pos = 0;
  }

  take(n) {
    if (this.pos + n > this.buf.length) throw new Error('truncated');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u32() {
    return this.take(4).readUInt32LE(0);
  }

  varInt() {
    const first = this.take(1)[0];
    if (first < 0xfd) return first;
    if (first === 0xfd) return this.take(2).readUInt16LE(0);
    if (first === 0xfe) return this.take(4).readUInt32LE(0);
    return Number(this.take(8).readBigUInt64LE(0));
  }
}

/** Reads one transaction; txid is over the legacy serialization (no marker, flag or witnesses). */
function readTransaction(r) {
  const start = r.pos;
  const version = r.take(4);
  let segwit = false;
  if (r.buf[r.pos] === 0 && r.buf[r.pos + 1] === 1) {
    segwit = true;
    r.take(2);
  }
  const bodyStart = r.pos;
  const inputs = [];
  for (let i = r.varInt(); i > 0; i--) {
    const prevout = r.take(36);
    const script = r.take(r.varInt());
    r.take(4);
    inputs.push({ prevout, script });
  }
  const outputs = [];
  for (let i = r.varInt(); i > 0; i--) {
    const value = r.take(8).readBigUInt64LE(0);
    outputs.push({ value, script: r.take(r.varInt()) });
  }
  const bodyEnd = r.pos;
  const witnesses = [];
  if (segwit) {
    for (const _ of inputs) {
      const items = [];
      for (let i = r.varInt(); i > 0; i--) items.push(r.take(r.varInt()));
      witnesses.push(items);
    }
  }
  const lockTime = r.take(4);
  const legacy = Buffer.concat([version, r.buf.subarray(bodyStart, bodyEnd), lockTime]);
  return { txid: sha256d(legacy), inputs, outputs, witnesses, raw: r.buf.subarray(start, r.pos) };
}

export function merkleRoot(hashes) {
  let level = hashes;
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(sha256d(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    }
    level = next;
  }
  return level[0];
}

export function parseBlock(hex) {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new Error('not hex');
  const r = new Reader(Buffer.from(hex, 'hex'));
  const header = r.take(80);
  const transactions = [];
  for (let i = r.varInt(); i > 0; i--) transactions.push(readTransaction(r));
  if (r.pos !== r.buf.length) throw new Error('trailing bytes');
  return {
    header,
    hash: sha256d(header),
    version: header.readUInt32LE(0),
    previousHash: toDisplay(header.subarray(4, 36)),
    merkleRoot: header.subarray(36, 68),
    time: header.readUInt32LE(68),
    bits: header.readUInt32LE(72).toString(16).padStart(8, '0'),
    transactions,
  };
}

/** Serializes a minimal BIP 34 height push (as bitcoind's CScript() << height does). */
export function heightPush(height) {
  if (height >= 1 && height <= 16) return Buffer.from([0x50 + height]);
  const bytes = [];
  for (let n = height; n > 0; n = Math.floor(n / 256)) bytes.push(n & 0xff);
  if (bytes[bytes.length - 1] & 0x80) bytes.push(0);
  return Buffer.from([bytes.length, ...bytes]);
}
