// Runs npm's stratum-pool-sha256 (unmodified) on 127.0.0.1:PORT against a bitcoind JSON-RPC endpoint, for the
// suite's pool-mining tests. stdout carries only JSON lines, one per event:
//   {"event":"started","port":P}                       the Stratum port accepts miners
//   {"event":"connected"|"disconnected","remote_port":P}
//   {"event":"authorize","worker":W,"authorized":B}
//   {"event":"share","accepted":B,"block":B,"worker":W,"job":J,"difficulty":D,"share_diff":S,"hash":H,"reason":R}
//   {"event":"retarget","difficulty":D,"remote_port":P} a worker moved to --retarget-diff after its authorize
//   {"event":"summary","accepted":N,"rejected":N}      on exit (SIGTERM, SIGINT, stdin closed)
// The package's own console output (it prints debug lines per share) goes to stderr.
//
// usage: node pool.mjs --port P --daemon-port D [--rpc-user U] [--rpc-password P] [--address A] [--diff D]
//                      [--retarget-diff D] [--rebroadcast-seconds S]
import net from 'node:net';
import { createRequire } from 'node:module';
import { emit, exitWith, fail, parseArgs } from './lifetime.mjs';

const options = parseArgs(process.argv.slice(2), {
  port: '',
  'daemon-port': '',
  'rpc-user': 'qrng',
  'rpc-password': 'qrng-test',
  address: 'mh5CE8Nbj38iND267s4XnvhSmhDW7yWc6Q',
  diff: '0.0001',
  'retarget-diff': '0',
  'rebroadcast-seconds': '55',
});
const port = Number(options.port);
const daemonPort = Number(options['daemon-port']);
const diff = Number(options.diff);
const retargetDiff = Number(options['retarget-diff']);
if (!Number.isInteger(port) || port <= 0 || !Number.isInteger(daemonPort) || daemonPort <= 0) fail('--port and --daemon-port are required');
if (!(diff > 0) || !(retargetDiff >= 0)) fail('--diff must be a positive number, --retarget-diff a positive number or 0 (none)');

for (const level of ['log', 'info', 'warn', 'debug']) {
  console[level] = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
}

// The package listens on every interface (lib/stratum.js calls listen(port, callback)); a test pool belongs on
// loopback only, so a bare-port listen is pinned to 127.0.0.1.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] === 'function') return listen.call(this, args[0], '127.0.0.1', args[1]);
  return listen.apply(this, args);
};

process.on('uncaughtException', (e) => {
  emit('error', { message: e.message, code: e.code ?? null });
  process.exit(1);
});

const Stratum = createRequire(import.meta.url)('stratum-pool-sha256');
const counts = { accepted: 0, rejected: 0 };

const pool = Stratum.createPool({
  coin: { name: 'Bitcoin', symbol: 'BTC', algorithm: 'sha256', asicboost: false },
  address: options.address,
  ports: { [port]: { diff } },
  daemons: [{ host: '127.0.0.1', port: daemonPort, user: options['rpc-user'], password: options['rpc-password'] }],
  blockRefreshInterval: 1000,
  jobRebroadcastTimeout: Number(options['rebroadcast-seconds']),
  connectionTimeout: 600,
  // Makes the package report every share's header hash, so each share pairs with one the miner printed.
  emitInvalidBlockHashes: true,
  banning: { enabled: false },
}, (ip, localPort, worker, password, callback) => {
  emit('authorize', { worker, authorized: true });
  callback({ error: null, authorized: true, disconnect: false });
  if (retargetDiff > 0) setImmediate(retargetAuthorized);
});

pool.on('log', (severity, text) => process.stderr.write(`pool ${severity}: ${text}\n`));

pool.on('share', (accepted, block, data) => {
  counts[accepted ? 'accepted' : 'rejected']++;
  emit('share', {
    accepted,
    block,
    worker: data.worker,
    job: data.job,
    difficulty: data.difficulty,
    share_diff: data.shareDiff === undefined ? null : Number(data.shareDiff),
    hash: data.blockHashInvalid ?? data.blockHash ?? null,
    reason: data.error ?? null,
  });
});

// The package's own varDiff "fast" path (lib/pool.js setVarDiff): set_difficulty, then the current job again with
// clean_jobs false so the miner keeps its work. Done once per worker, right after its authorize, so the miner sees a
// second difficulty at a known point and every share it finds under the first one still counts under the second.
const retargeted = new WeakSet();
function retargetAuthorized() {
  for (const client of Object.values(pool.getStratumServer().getStratumClients())) {
    if (!client.authorized || !client.extraNonce1 || retargeted.has(client)) continue;
    retargeted.add(client);
    client.sendDifficulty(retargetDiff);
    const job = [...pool.jobManager.currentJob.getJobParams()];
    job[8] = false;
    client.sendMiningJob(job);
    emit('retarget', { difficulty: retargetDiff, remote_port: client.socket.remotePort });
  }
}

pool.on('started', () => {
  pool.getStratumServer()
    .on('client.connected', (client) => emit('connected', { remote_port: client.socket.remotePort }))
    .on('client.disconnected', (client) => emit('disconnected', { remote_port: client.socket.remotePort }));
  emit('started', { port });
});

pool.start();
exitWith(() => emit('summary', counts));
