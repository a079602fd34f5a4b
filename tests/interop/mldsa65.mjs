// Interop peer for QrngAppliance.Proofs.Tests (MlDsaInteropTests): @noble/post-quantum's ML-DSA-65.
// Reads one JSON array of requests on stdin, writes one JSON array of results on stdout.
//   {"op":"verify","pk":HEX,"msg":HEX,"ctx":HEX,"sig":HEX}  -> {"valid":true|false}
//   {"op":"sign","seed":HEX,"msg":HEX,"ctx":HEX}            -> {"pk":HEX,"sig":HEX}  (deterministic: extraEntropy false)
// With "hash":NAME (e.g. "SHA-512", "SHAKE-256"), sign and verify use HashML-DSA (ml_dsa65.prehash).
// Exit code 0 unless the input is malformed. Hex is upper or lower case.
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512, shake128_32, shake256_64 } from '@noble/hashes/sha3.js';
import { readFileSync } from 'node:fs';

const hashes = {
  'SHA-224': sha224, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512,
  'SHA-512/224': sha512_224, 'SHA-512/256': sha512_256,
  'SHA3-224': sha3_224, 'SHA3-256': sha3_256, 'SHA3-384': sha3_384, 'SHA3-512': sha3_512,
  'SHAKE-128': shake128_32, 'SHAKE-256': shake256_64,
};
const signer = (r) => {
  if (r.hash === undefined) return ml_dsa65;
  if (!(r.hash in hashes)) throw new Error(`unknown hash ${JSON.stringify(r.hash)}`);
  return ml_dsa65.prehash(hashes[r.hash]);
};

const fromHex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex').toUpperCase();

const requests = JSON.parse(readFileSync(0, 'utf8'));
const results = requests.map((r) => {
  switch (r.op) {
    case 'verify':
      return { valid: signer(r).verify(fromHex(r.sig), fromHex(r.msg), fromHex(r.pk), { context: fromHex(r.ctx) }) };
    case 'sign': {
      const keys = ml_dsa65.keygen(fromHex(r.seed));
      const sig = signer(r).sign(fromHex(r.msg), keys.secretKey, { context: fromHex(r.ctx), extraEntropy: false });
      return { pk: toHex(keys.publicKey), sig: toHex(sig) };
    }
    default:
      throw new Error(`unknown op ${JSON.stringify(r.op)}`);
  }
});
process.stdout.write(JSON.stringify(results));
