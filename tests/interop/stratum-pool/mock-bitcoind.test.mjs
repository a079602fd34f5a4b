// node --test: the mock bitcoind judges blocks the way bitcoind does. Blocks are mined here on regtest's own
// target (half of all hashes meet it) from the mock's templates, so a valid block is accepted and chained, and each
// kind of broken one gets bitcoind's reject reason. The suite runs this through NpmStratumPoolTests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { heightPush, merkleRoot, scriptForAddress, sha256d, targetFromBits, toDisplay, varInt } from './chain.mjs';

const ADDRESS = 'mh5CE8Nbj38iND267s4XnvhSmhDW7yWc6Q';
let daemon;
let url;

before(async () => {
  daemon = spawn(process.execPath, [fileURLToPath(new URL('./mock-bitcoind.mjs', import.meta.url)), '--bits', '207fffff'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: daemon.stdout }), 'line');
  url = `http://127.0.0.1:${JSON.parse(line).port}/`;
});

after(() => daemon.stdin.end());

async function rpc(method, params = [], password = 'qrng-test') {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: 'Basic ' + Buffer.from(`qrng:${password}`).toString('base64') },
    body: JSON.stringify({ method, params, id: 1 }),
  });
  if (response.status === 401) return { status: 401 };
  return { status: response.status, ...(await response.json()) };
}

const le32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const le64 = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

/** A block on the template: a BIP 34 coinbase paying the reward, the commitment output and its witness nonce. */
function buildBlock(t, { witness = true, tamperMerkle = false, prev = t.previousblockhash, wantValidPow = true } = {}) {
  const payout = Buffer.from(scriptForAddress(ADDRESS), 'hex');
  const commitment = Buffer.from(t.default_witness_commitment, 'hex');
  const scriptSig = Buffer.concat([heightPush(t.height), Buffer.from('qrng test')]);
  const body = Buffer.concat([
    varInt(1), Buffer.alloc(32), Buffer.from('ffffffff', 'hex'), varInt(scriptSig.length), scriptSig, Buffer.from('ffffffff', 'hex'),
    varInt(2), le64(t.coinbasevalue), varInt(payout.length), payout, le64(0), varInt(commitment.length), commitment,
  ]);
  const legacy = Buffer.concat([le32(1), body, le32(0)]);
  const coinbase = witness ? Buffer.concat([le32(1), Buffer.from('0001', 'hex'), body, varInt(1), varInt(32), Buffer.alloc(32), le32(0)]) : legacy;
  const txids = [sha256d(legacy), ...t.transactions.map((x) => Buffer.from(x.txid, 'hex').reverse())];
  const root = merkleRoot(txids);
  if (tamperMerkle) root[0] ^= 1;
  const target = targetFromBits(t.bits);
  for (let nonce = 0; ; nonce++) {
    const header = Buffer.concat([le32(t.version), Buffer.from(prev, 'hex').reverse(), root, le32(t.curtime), Buffer.from(t.bits, 'hex').reverse(), le32(nonce)]);
    const hash = toDisplay(sha256d(header));
    if ((BigInt('0x' + hash) <= target) === wantValidPow) {
      const hex = Buffer.concat([header, varInt(1 + t.transactions.length), coinbase, ...t.transactions.map((x) => Buffer.from(x.data, 'hex'))]).toString('hex');
      return { hex, hash, coinbaseTxid: toDisplay(txids[0]) };
    }
  }
}

test('refuses a wrong password with 401', async () => {
  assert.equal((await rpc('getblockchaininfo', [], 'wrong')).status, 401);
});

test('answers the startup calls of stratum-pool-sha256', async () => {
  assert.equal((await rpc('validateaddress', [ADDRESS])).result.scriptPubKey, '76a914' + '11'.repeat(20) + '88ac');
  assert.equal((await rpc('validateaddress', ['mh5CE8Nbj38iND267s4XnvhSmhDW7yWc6R'])).result.isvalid, false);
  assert.equal((await rpc('submitblock')).error.code, -1);
  assert.equal((await rpc('getblockchaininfo')).result.chain, 'regtest');
  assert.equal((await rpc('nosuchmethod')).error.code, -32601);
});

test('rejects broken blocks with bitcoind reasons and accepts a valid one once', async () => {
  const t = (await rpc('getblocktemplate', [{ rules: ['segwit'] }])).result;
  assert.equal(t.height, 1);
  assert.equal((await rpc('submitblock', [buildBlock(t, { wantValidPow: false }).hex])).result, 'high-hash');
  assert.equal((await rpc('submitblock', [buildBlock(t, { tamperMerkle: true }).hex])).result, 'bad-txnmrklroot');
  assert.equal((await rpc('submitblock', [buildBlock(t, { witness: false }).hex])).result, 'bad-witness-nonce-size');
  assert.equal((await rpc('submitblock', [buildBlock(t, { prev: '11'.repeat(32) }).hex])).result, 'prev-blk-not-found');
  assert.equal((await rpc('submitblock', ['00'])).error.code, -22);

  const block = buildBlock(t);
  assert.equal((await rpc('submitblock', [block.hex])).result, null);
  assert.equal((await rpc('submitblock', [block.hex])).result, 'duplicate');
  const stored = (await rpc('getblock', [block.hash])).result;
  assert.equal(stored.height, 1);
  assert.equal(stored.tx[0], block.coinbaseTxid);

  const next = (await rpc('getblocktemplate', [{ rules: ['segwit'] }])).result;
  assert.equal(next.previousblockhash, block.hash);
  assert.equal(next.height, 2);
  assert.equal((await rpc('getblock', ['22'.repeat(32)])).error.code, -5);
});
