// Interop peer for QrngAppliance.Proofs.Tests (MlDsaInteropTests): @noble/post-quantum's ML-DSA-65.
// Reads one JSON array of requests on stdin, writes one JSON array of results on stdout.
//   {"op":"verify","pk":HEX,"msg":HEX,"ctx":HEX,"sig":HEX}  -> {"valid":true|false}
//   {"op":"sign","seed":HEX,"msg":HEX,"ctx":HEX}            -> {"pk":HEX,"sig":HEX}  (deterministic: extraEntropy false)
// Exit code 0 unless the input is malformed. Hex is upper or lower case.
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { readFileSync } from 'node:fs';

const fromHex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b) => Buffer.from(b).toString('hex').toUpperCase();

const requests = JSON.parse(readFileSync(0, 'utf8'));
const results = requests.map((r) => {
  switch (r.op) {
    case 'verify':
      return { valid: ml_dsa65.verify(fromHex(r.sig), fromHex(r.msg), fromHex(r.pk), { context: fromHex(r.ctx) }) };
    case 'sign': {
      const keys = ml_dsa65.keygen(fromHex(r.seed));
      const sig = ml_dsa65.sign(fromHex(r.msg), keys.secretKey, { context: fromHex(r.ctx), extraEntropy: false });
      return { pk: toHex(keys.publicKey), sig: toHex(sig) };
    }
    default:
      throw new Error(`unknown op ${JSON.stringify(r.op)}`);
  }
});
process.stdout.write(JSON.stringify(results));
