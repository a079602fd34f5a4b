// The noble baseline of scripts/bench-verify-chain.sh: verifies every pulse of a binary export (QRNG-PULSES,
// docs/proof-format.md) as `qrng verify --chain` does its signature work: the canonical set of one Ed25519 and one
// ML-DSA-65 signature (context "qrng-pulse-v1") per pulse under the chain info's keys, plus each prev_pulse_hash
// link. Splits the pulses over one worker thread per core, as the C# verifier does.
//   node verify-chain.mjs CHAIN.bin CHAIN-INFO.json [WORKERS]  -> one JSON line {pulses, ok, workers, seconds}
import { ed25519 } from '@noble/curves/ed25519.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const context = new TextEncoder().encode('qrng-pulse-v1');

// Offsets of each pulse's signed bytes and signatures in the export (canonical encoding: big-endian lengths).
function index(buf) {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (new TextDecoder().decode(buf.subarray(0, 11)) !== 'QRNG-PULSES' || buf[11] !== 1) throw new Error('not a QRNG-PULSES v1 export');
  const count = view.getUint32(12);
  const pulses = [];
  let at = 16;
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(at); at += 4;
    const end = at + len;
    const signedLen = view.getUint32(at); const signed = [at + 4, at + 4 + signedLen]; at += 4 + signedLen;
    const n = view.getUint16(at); at += 2;
    const sigs = [];
    for (let j = 0; j < n; j++) {
      const algLen = view.getUint16(at); const alg = new TextDecoder().decode(buf.subarray(at + 2, at + 2 + algLen)); at += 2 + algLen;
      const idLen = view.getUint16(at); at += 2 + idLen;
      const sigLen = view.getUint32(at); sigs.push([alg, at + 4, at + 4 + sigLen]); at += 4 + sigLen;
    }
    if (at !== end) throw new Error(`pulse ${i}: trailing bytes`);
    pulses.push({ signed, sigs });
  }
  return pulses;
}

function verifyRange(buf, pulses, from, to, edKey, mlKey) {
  let ok = 0;
  for (let i = from; i < to; i++) {
    const p = pulses[i];
    const signed = buf.subarray(...p.signed);
    if (p.sigs.length !== 2 || p.sigs[0][0] !== 'ed25519' || p.sigs[1][0] !== 'ml-dsa-65') continue;
    const edOk = ed25519.verify(buf.subarray(p.sigs[0][1], p.sigs[0][2]), signed, edKey);
    const mlOk = ml_dsa65.verify(buf.subarray(p.sigs[1][1], p.sigs[1][2]), signed, mlKey, { context });
    // prev_pulse_hash sits after magic(10) ‖ version(1) ‖ str appliance_id ‖ u64 seq.
    let linkOk = true;
    if (i > 0) {
      const idLen = (signed[11] << 8) | signed[12];
      const prev = signed.subarray(13 + idLen + 8, 13 + idLen + 8 + 32);
      const expected = sha256(buf.subarray(...pulses[i - 1].signed));
      linkOk = Buffer.compare(Buffer.from(prev), Buffer.from(expected)) === 0;
    }
    if (edOk && mlOk && linkOk) ok++;
  }
  return ok;
}

if (isMainThread) {
  const [chainFile, infoFile, workersArg] = process.argv.slice(2);
  const started = performance.now();
  const info = JSON.parse(readFileSync(infoFile, 'utf8'));
  const key = (alg) => Uint8Array.from(Buffer.from(info.keys.find((k) => k.algorithm === alg).public_key, 'base64'));
  const shared = new SharedArrayBuffer(readFileSync(chainFile).length);
  const buf = new Uint8Array(shared);
  buf.set(readFileSync(chainFile));
  const count = index(buf).length;
  const workers = Number(workersArg ?? cpus().length);
  const per = Math.ceil(count / workers);
  const results = await Promise.all([...Array(workers).keys()].map((w) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { shared, from: w * per, to: Math.min(count, (w + 1) * per), ed: key('ed25519'), ml: key('ml-dsa-65') },
    });
    worker.on('message', resolve);
    worker.on('error', reject);
  })));
  const ok = results.reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ pulses: count, ok, workers, seconds: (performance.now() - started) / 1000 }));
  process.exit(ok === count ? 0 : 1);
} else {
  const buf = new Uint8Array(workerData.shared);
  parentPort.postMessage(verifyRange(buf, index(buf), workerData.from, workerData.to, workerData.ed, workerData.ml));
}
