// Shared process plumbing of the mock bitcoind and the pool runner: argument parsing, one JSON event per stdout
// line, and an exit on SIGTERM/SIGINT or when stdin closes (the parent died or is done with us).

export function parseArgs(argv, defaults) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (!name.startsWith('--') || i + 1 >= argv.length) fail(`bad argument '${name}' (expected --name value)`);
    const key = name.slice(2);
    if (!(key in defaults)) fail(`unknown option '${name}'`);
    options[key] = argv[++i];
  }
  return options;
}

export function fail(message) {
  process.stderr.write(message + '\n');
  process.exit(2);
}

/** Writes one event as a JSON line on stdout, with the wall-clock time in milliseconds. */
export function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, t: Date.now(), ...fields }) + '\n');
}

/**
 * Runs onExit once, then exits: on SIGTERM, SIGINT, or end of stdin. A parent that dies closes our stdin, so
 * nothing outlives the test that started it even where no parent-death signal is set.
 */
export function exitWith(onExit) {
  let exiting = false;
  const stop = (reason) => {
    if (exiting) return;
    exiting = true;
    Promise.resolve(onExit(reason)).finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();
}
