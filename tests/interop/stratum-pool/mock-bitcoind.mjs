// A small bitcoind stand-in on 127.0.0.1 for stratum-pool-sha256: JSON-RPC over HTTP with basic auth, answering
// the calls the pool makes at startup (lib/pool.js: getpeerinfo, then one batch of validateaddress, getdifficulty,
// getmininginfo, submitblock with no argument, getblockchaininfo, getnetworkinfo) and per block (getblocktemplate,
// submitblock, getblock). The chain starts at regtest's genesis block; its templates carry two real transactions
// (so a job has a merkle branch) and a segwit commitment, as bitcoind's do. submitblock checks a block the way
// bitcoind's CheckBlock/ContextualCheckBlock do for what a pool can get wrong and answers with bitcoind's reasons.
//
// usage: node mock-bitcoind.mjs [--rpc-user U] [--rpc-password P] [--bits HEX] [--address ADDR]
// stdout: {"event":"listening","port":N}, then {"event":"submitblock",...} per block; unknown calls are logged too.
import { createServer } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import {
  difficultyOf, heightPush, merkleRoot, parseBlock, scriptForAddress, sha256d, targetFromBits,
  toDisplay, varInt,
} from './chain.mjs';
import { emit, exitWith, parseArgs } from './lifetime.mjs';

const options = parseArgs(process.argv.slice(2), {
  'rpc-user': 'qrng',
  'rpc-password': 'qrng-test',
  // Difficulty 65536: a CPU finds low-difficulty shares all the time but no block within a test. It must not:
  // stratum-pool-sha256 2.1.3 throws on a block candidate (ReferenceError: extraNoncePlaceholder is not defined,
  // lib/jobManager.js:396) and dies. '207fffff' (regtest's own) makes half of all hashes a block.
  bits: '1b00ffff',
  address: 'mh5CE8Nbj38iND267s4XnvhSmhDW7yWc6Q',
});

const GENESIS = { hash: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206', height: 0, time: 1296688602, tx: ['4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b'] };
const target = targetFromBits(options.bits);
const difficulty = difficultyOf(target);
const blocks = new Map([[GENESIS.hash, GENESIS]]);
let tip = GENESIS;

/** Two ordinary transactions paying 1 BTC each to the pool address, each spending a distinct (unchecked) output. */
function mempool() {
  const script = Buffer.from(scriptForAddress(options.address), 'hex');
  return [1, 2].map((i) => {
    const data = Buffer.concat([
      Buffer.from('02000000', 'hex'), varInt(1),
      sha256d(Buffer.from(`qrng mock utxo ${i}`)), Buffer.alloc(4), varInt(0), Buffer.from('ffffffff', 'hex'),
      varInt(1), Buffer.from((100000000n).toString(16).padStart(16, '0'), 'hex').reverse(), varInt(script.length), script,
      Buffer.alloc(4),
    ]);
    const txid = toDisplay(sha256d(data));
    return { data: data.toString('hex'), txid, hash: txid, depends: [], fee: 10000, sigops: 4, weight: 4 * data.length };
  });
}

function template() {
  const transactions = mempool();
  // Coinbase wtxid is zero; the others have no witness, so wtxid = txid (BIP 141).
  const witnessRoot = merkleRoot([Buffer.alloc(32), ...transactions.map((t) => Buffer.from(t.hash, 'hex').reverse())]);
  const commitment = sha256d(Buffer.concat([witnessRoot, Buffer.alloc(32)]));
  const height = tip.height + 1;
  return {
    capabilities: ['proposal'],
    version: 0x20000000,
    rules: ['csv', '!segwit', 'taproot'],
    vbavailable: {},
    vbrequired: 0,
    previousblockhash: tip.hash,
    transactions,
    coinbaseaux: {},
    coinbasevalue: Math.floor(5000000000 / 2 ** Math.floor(height / 150)) + transactions.reduce((sum, t) => sum + t.fee, 0),
    longpollid: tip.hash + String(blocks.size),
    target: target.toString(16).padStart(64, '0'),
    mintime: tip.time + 1,
    mutable: ['time', 'transactions', 'prevblock'],
    noncerange: '00000000ffffffff',
    sigoplimit: 80000,
    sizelimit: 4000000,
    weightlimit: 4000000,
    curtime: Math.floor(Date.now() / 1000),
    bits: options.bits,
    height,
    default_witness_commitment: '6a24aa21a9ed' + commitment.toString('hex'),
  };
}

/** bitcoind's BIP 22 answer for a submitted block: null when accepted, else the reject reason. */
function submitBlock(hex) {
  let block;
  try {
    block = parseBlock(hex);
  } catch (e) {
    return { rpcError: { code: -22, message: `Block decode failed (${e.message})` } };
  }
  const hash = toDisplay(block.hash);
  if (blocks.has(hash)) return { reason: 'duplicate', hash };
  if (block.bits !== options.bits) return { reason: 'bad-diffbits', hash };
  if (BigInt('0x' + hash) > target) return { reason: 'high-hash', hash };
  if (block.previousHash !== tip.hash) return { reason: blocks.has(block.previousHash) ? 'inconclusive' : 'prev-blk-not-found', hash };
  if (block.transactions.length === 0) return { reason: 'bad-blk-length', hash };
  if (!merkleRoot(block.transactions.map((t) => t.txid)).equals(block.merkleRoot)) return { reason: 'bad-txnmrklroot', hash };
  const coinbase = block.transactions[0];
  if (coinbase.inputs.length !== 1 || !coinbase.inputs[0].prevout.equals(Buffer.concat([Buffer.alloc(32), Buffer.from('ffffffff', 'hex')]))) {
    return { reason: 'bad-cb-missing', hash };
  }
  const height = tip.height + 1;
  if (!coinbase.inputs[0].script.subarray(0, heightPush(height).length).equals(heightPush(height))) return { reason: 'bad-cb-height', hash };
  const expected = template();
  const paid = coinbase.outputs.reduce((sum, o) => sum + o.value, 0n);
  if (paid > BigInt(expected.coinbasevalue)) return { reason: 'bad-cb-amount', hash };
  const commitmentIndex = coinbase.outputs.findLastIndex((o) => o.script.length >= 38 && o.script.subarray(0, 6).toString('hex') === '6a24aa21a9ed');
  if (commitmentIndex >= 0) {
    const nonce = coinbase.witnesses[0];
    if (!nonce || nonce.length !== 1 || nonce[0].length !== 32) return { reason: 'bad-witness-nonce-size', hash };
    const wtxids = [Buffer.alloc(32), ...block.transactions.slice(1).map((t) => sha256d(t.raw))];
    const commitment = sha256d(Buffer.concat([merkleRoot(wtxids), nonce[0]]));
    if (!commitment.equals(coinbase.outputs[commitmentIndex].script.subarray(6, 38))) return { reason: 'bad-witness-merkle-match', hash };
  }
  const record = { hash, height, time: block.time, tx: block.transactions.map((t) => toDisplay(t.txid)), previousblockhash: tip.hash, merkleroot: toDisplay(block.merkleRoot) };
  blocks.set(hash, record);
  tip = record;
  return { reason: null, hash };
}

class RpcError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const methods = {
  getpeerinfo: () => [],
  getblockchaininfo: () => ({
    chain: 'regtest', blocks: tip.height, headers: tip.height, bestblockhash: tip.hash, difficulty,
    mediantime: tip.time, verificationprogress: 1, initialblockdownload: false, pruned: false, warnings: '',
  }),
  getnetworkinfo: () => ({
    version: 280000, subversion: '/Satoshi:28.0.0/', protocolversion: 70016, localservices: '0000000000000409',
    connections: 0, networkactive: true, relayfee: 0.00001, incrementalfee: 0.00001, warnings: '',
  }),
  getmininginfo: () => ({ blocks: tip.height, difficulty, networkhashps: 0, pooledtx: 2, chain: 'regtest', warnings: '' }),
  getdifficulty: () => difficulty,
  getblockcount: () => tip.height,
  getbestblockhash: () => tip.hash,
  validateaddress: ([address]) => {
    const script = typeof address === 'string' ? scriptForAddress(address) : null;
    return script
      ? { isvalid: true, address, scriptPubKey: script, isscript: script.startsWith('a9'), iswitness: false }
      : { isvalid: false, error: 'Invalid or unsupported Base58-encoded address.' };
  },
  getaddressinfo: ([address]) => {
    const script = typeof address === 'string' ? scriptForAddress(address) : null;
    if (!script) throw new RpcError(-5, 'Invalid address');
    return { address, scriptPubKey: script, ismine: false, iswatchonly: false, isscript: script.startsWith('a9'), iswitness: false };
  },
  getblocktemplate: ([request = {}]) => {
    if (request.mode === 'submit') return methods.submitblock([request.data]);
    if (!Array.isArray(request.rules) || !request.rules.includes('segwit')) {
      throw new RpcError(-8, 'getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})');
    }
    return template();
  },
  submitblock: (params) => {
    if (params.length < 1 || typeof params[0] !== 'string') {
      throw new RpcError(-1, 'submitblock "hexdata" ( "dummy" )\n\nAttempts to submit new block to network.');
    }
    const outcome = submitBlock(params[0]);
    if (outcome.rpcError) {
      emit('submitblock', { accepted: false, reason: outcome.rpcError.message });
      throw new RpcError(outcome.rpcError.code, outcome.rpcError.message);
    }
    emit('submitblock', { accepted: outcome.reason === null, reason: outcome.reason, hash: outcome.hash, height: tip.height });
    return outcome.reason;
  },
  getblock: ([hash]) => {
    const block = blocks.get(hash);
    if (!block) throw new RpcError(-5, 'Block not found');
    return { ...block, confirmations: tip.height - block.height + 1, bits: options.bits, difficulty };
  },
  getblockhash: ([height]) => {
    const block = [...blocks.values()].find((b) => b.height === height);
    if (!block) throw new RpcError(-8, 'Block height out of range');
    return block.hash;
  },
};

function call(request) {
  const id = request?.id ?? null;
  const handler = typeof request?.method === 'string' && Object.hasOwn(methods, request.method) ? methods[request.method] : null;
  if (!handler) {
    emit('unknown_method', { method: String(request?.method) });
    return { result: null, error: { code: -32601, message: 'Method not found' }, id };
  }
  try {
    return { result: handler(Array.isArray(request.params) ? request.params : []), error: null, id };
  } catch (e) {
    if (!(e instanceof RpcError)) throw e;
    return { result: null, error: { code: e.code, message: e.message }, id };
  }
}

const expectedAuth = Buffer.from('Basic ' + Buffer.from(`${options['rpc-user']}:${options['rpc-password']}`).toString('base64'));

const server = createServer((req, res) => {
  const auth = Buffer.from(req.headers.authorization ?? '');
  if (auth.length !== expectedAuth.length || !timingSafeEqual(auth, expectedAuth)) {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="jsonrpc"' }).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    let request;
    try {
      request = JSON.parse(body);
    } catch {
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ result: null, error: { code: -32700, message: 'Parse error' }, id: null }));
      return;
    }
    // As bitcoind: a batch answers 200; a single failed call answers 500 (404 for an unknown method).
    const reply = Array.isArray(request) ? request.map(call) : call(request);
    const status = Array.isArray(reply) || !reply.error ? 200 : reply.error.code === -32601 ? 404 : 500;
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply) + '\n');
  });
});

server.listen(0, '127.0.0.1', () => emit('listening', { port: server.address().port, difficulty }));
exitWith(() => new Promise((resolve) => {
  server.close(resolve);
  server.closeAllConnections();
}));
