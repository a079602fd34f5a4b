// The operator dashboard: reads the open JSON API every REFRESH_MS while the tab is visible (a hidden tab costs the
// appliance nothing) and draws it. Every value is set with textContent, never parsed as HTML.
"use strict";

const REFRESH_MS = 2000;
const HISTORY_MS = 5000;
const STATE_COLOURS = ["#3b6ea5", "#2f7d5b", "#b7791f", "#7b5ea7", "#4a8c9c", "#a5643b"];

const byId = (id) => document.getElementById(id);
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 3, maximumFractionDigits: 3 });
const fmtInt = (n) => (n == null ? "–" : integer.format(n));
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const fmtH = (h) => (h == null ? "–" : decimal.format(h));
const cls = (text) => String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-");

function setText(id, text) {
  byId(id).textContent = text;
}

function pill(element, text) {
  element.textContent = text;
  element.className = "pill " + cls(text);
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) {
    throw new Error(`${path}: HTTP ${response.status}`);
  }
  return response.json();
}

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text != null) element.textContent = text;
  return element;
}

// ---- sources -------------------------------------------------------------------------------------------------

const sourceRows = new Map();

function sourceRow(source) {
  let row = sourceRows.get(source.id);
  if (row) return row;
  const tr = el("tr");
  tr.dataset.source = source.id;
  const name = el("td");
  name.append(el("div", "num", source.id), el("div", "model", `${source.model} · ${source.transport}`));
  const state = el("td");
  const statePill = el("span", "pill");
  statePill.dataset.field = "state";
  const degraded = el("span", "pill degraded", "slow");
  degraded.hidden = true;
  const error = el("div", "error");
  error.dataset.field = "last-error";
  state.append(statePill, " ", degraded, error);
  const rate = el("td", "rate");
  const rateValue = el("span", "value");
  rateValue.dataset.field = "rate";
  const range = el("div", "range");
  const band = el("div", "band");
  const dot = el("div", "dot");
  range.append(band, dot);
  const labels = el("div", "range-labels");
  const low = el("span");
  low.dataset.field = "rate-min";
  const high = el("span");
  high.dataset.field = "rate-max";
  labels.append(low, high);
  rate.append(rateValue, el("span", "unit", " B/s"), range, labels);
  const entropy = el("td", "num");
  entropy.dataset.label = "min-entropy, bits/sample";
  const estimate = el("span");
  estimate.dataset.field = "estimate";
  const claimed = el("span", "unit");
  claimed.dataset.field = "claimed";
  entropy.append(estimate, claimed);
  const alarms = el("td", "num");
  alarms.dataset.label = "alarms RCT · APT · est.";
  const rct = el("span");
  rct.dataset.field = "rct";
  const apt = el("span");
  apt.dataset.field = "apt";
  const est = el("span");
  est.dataset.field = "estimate-failures";
  alarms.append(rct, " · ", apt, " · ", est);
  tr.append(name, state, rate, entropy, alarms);
  byId("sources").tBodies[0].append(tr);
  row = { statePill, degraded, error, rateValue, band, dot, low, high, estimate, claimed, rct, apt, est, range };
  sourceRows.set(source.id, row);
  return row;
}

function renderSources(sources) {
  for (const s of sources) {
    const row = sourceRow(s);
    pill(row.statePill, s.state);
    row.degraded.hidden = !s.degraded;
    row.error.textContent = s.last_error ?? "";
    row.rateValue.textContent = fmtInt(s.measured_bytes_per_second);
    const expected = s.expected_bytes_per_second;
    if (expected) {
      // The bar spans 0 .. 1.25 × the profile's maximum, so a source above its range still shows.
      const top = expected.max * 1.25;
      const at = (v) => `${Math.min(100, Math.max(0, (v / top) * 100))}%`;
      row.band.style.left = at(expected.min);
      row.band.style.width = `${((expected.max - expected.min) / top) * 100}%`;
      row.dot.hidden = s.measured_bytes_per_second == null;
      row.dot.style.left = at(s.measured_bytes_per_second ?? 0);
      row.low.textContent = `${fmtInt(expected.min)} B/s`;
      row.high.textContent = `${fmtInt(expected.max)} B/s`;
      row.range.title = `profile range ${fmtInt(expected.min)} – ${fmtInt(expected.max)} B/s`;
    } else {
      row.range.hidden = true;
      row.low.textContent = "no profile range";
    }
    row.estimate.textContent = fmtH(s.min_entropy_estimate);
    row.claimed.textContent = s.claimed_min_entropy == null ? "" : ` of ${fmtH(s.claimed_min_entropy)} claimed`
      + (s.min_entropy_floor == null ? "" : `, floor ${fmtH(s.min_entropy_floor)}`);
    row.rct.textContent = fmtInt(s.rct_failures);
    row.apt.textContent = fmtInt(s.apt_failures);
    row.est.textContent = fmtInt(s.estimate_failures);
    row.rct.className = s.rct_failures > 0 ? "bad" : "";
    row.apt.className = s.apt_failures > 0 ? "bad" : "";
    row.est.className = s.estimate_failures > 0 ? "bad" : "";
  }
  const ready = sources.some((s) => s.state === "healthy");
  pill(byId("readiness"), ready ? "ready" : "not ready");
}

// ---- pool, chain, security, validators, miner ------------------------------------------------------------------

function renderPool(pool) {
  setText("pool-depth", fmtInt(pool.depth));
  setText("pool-capacity", fmtInt(pool.capacity));
  setText("pool-reserve", fmtInt(pool.attested_reserve));
  setText("pool-tree-size", fmtInt(pool.tree_size));
  byId("pool-fill").style.width = `${(pool.depth / pool.capacity) * 100}%`;
  byId("pool-reserve-mark").style.left = `${(pool.attested_reserve / pool.capacity) * 100}%`;
}

function renderChain(pulse) {
  setText("appliance-id", pulse.appliance_id);
  setText("chain-seq", fmtInt(pulse.seq));
  setText("chain-tree-size", fmtInt(pulse.tree_size));
  setText("chain-root", pulse.root.slice(0, 16) + "…");
  byId("chain-root").title = pulse.root;
  const age = Math.max(0, (Date.now() - Date.parse(pulse.time)) / 1000);
  setText("chain-age", age.toFixed(1));
}

function renderSecurity(security) {
  pill(byId("security-state"), security.state);
  setText("security-since", new Date(security.since).toLocaleString());
  setText("security-causes", security.causes.length ? security.causes.join("; ") : "none");
  setText("price-index", security.price.index);
  setText("price-available", fmtInt(security.price.available_bits));
  setText("price-demand", fmtInt(security.price.recent_demand_bits));
  setText("price-window", fmtInt(security.price.window_seconds));
}

function renderValidators(validators) {
  setText("validators-count", fmtInt(validators.length));
  byId("validators-empty").hidden = validators.length > 0;
  const body = byId("validators").tBodies[0];
  body.replaceChildren(...validators.slice(0, 20).map((v) => {
    const tr = el("tr");
    tr.append(el("td", "mono", v.id), el("td", null, v.status), el("td", "num", v.token_stake),
      el("td", "num", fmtInt(v.entropy_stake_leaves.length)));
    return tr;
  }));
}

function renderMining(mining) {
  pill(byId("mining-state"), mining.running ? mining.pool.state : "not running");
  const rate = Object.values(mining.hashes_per_second).reduce((a, b) => a + b, 0);
  setText("mining-rate", fmtInt(rate));
  setText("mining-accepted", fmtInt(mining.shares.accepted));
  setText("mining-rejected", fmtInt(mining.shares.rejected));
  setText("mining-stale", fmtInt(mining.shares.stale));
  setText("mining-pool", mining.pool.url ?? "none");
  setText("mining-kernel", `${mining.algorithm}, ${mining.kernel}, ${mining.threads} threads`);
}

// ---- RFC 9162 consistency check of successive roots --------------------------------------------------------------

const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g), (b) => parseInt(b, 16));
const sameBytes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

async function nodeHash(left, right) {
  const data = new Uint8Array(65);
  data[0] = 1;
  data.set(left, 1);
  data.set(right, 33);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

// RFC 9162 §2.1.4.2, with arithmetic instead of bit operators so tree sizes past 2^31 work.
async function consistent(first, second, firstRoot, secondRoot, proof) {
  if (first === second) return proof.length === 0 && sameBytes(firstRoot, secondRoot);
  const path = proof.slice();
  const isPowerOfTwo = (n) => n > 0 && 2 ** Math.round(Math.log2(n)) === n;
  if (isPowerOfTwo(first)) path.unshift(firstRoot);
  if (path.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  const odd = (n) => n % 2 === 1;
  const half = (n) => Math.floor(n / 2);
  while (odd(fn)) { fn = half(fn); sn = half(sn); }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameBytes(fr, firstRoot) && sameBytes(sr, secondRoot);
}

// The last head checked, starting from the genesis pulse: every later root must extend it.
let verifiedHead = null;

async function verifyChain(pulse) {
  const out = byId("chain-verified");
  if (!globalThis.crypto?.subtle) {
    out.textContent = "not checked: the browser hashes only over https or on localhost";
    return;
  }
  if (verifiedHead === null) {
    const genesis = await getJson("/v1/pulses/0");
    verifiedHead = { seq: genesis.seq, size: genesis.tree_size, root: hexToBytes(genesis.root) };
  }
  const from = verifiedHead;
  const head = { seq: pulse.seq, size: pulse.tree_size, root: hexToBytes(pulse.root) };
  let ok;
  if (head.size === from.size) {
    ok = sameBytes(head.root, from.root); // a full pool adds no leaves: the root must not change
  } else if (from.size === 0) {
    ok = true; // every tree extends the empty one
  } else if (head.size < from.size) {
    ok = false; // an append-only log never shrinks
  } else {
    const proof = await getJson(`/v1/log/consistency?first=${from.size}&second=${head.size}`);
    ok = await consistent(from.size, head.size, from.root, head.root, proof.consistency.map(hexToBytes));
  }
  out.textContent = ok
    ? `consistent with pulse ${fmtInt(from.seq)} (tree ${fmtInt(from.size)} → ${fmtInt(head.size)}), ${new Date().toLocaleTimeString()}`
    : `INCONSISTENT with pulse ${fmtInt(from.seq)} (tree ${fmtInt(from.size)} → ${fmtInt(head.size)})`;
  out.className = ok ? "ok" : "bad";
  out.dataset.verified = ok ? "consistent" : "inconsistent";
  if (ok) verifiedHead = head;
}

// ---- charts -----------------------------------------------------------------------------------------------------

const charts = {};

function chartWidth(id) {
  return Math.max(240, byId(id).clientWidth);
}

const clock = (t) => new Date(t * 1000).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });

const isDecade = (v) => v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;

function makeChart(id, height, yLabel, series, yScale) {
  const log = yScale.distr === 3;
  const opts = {
    width: chartWidth(id),
    height,
    legend: { show: series.length > 1, live: false },
    scales: { x: { time: true }, y: yScale },
    axes: [
      { label: "local time (hh:mm:ss)", labelSize: 18, size: 30, space: 90, stroke: "#61707f", grid: { stroke: "#eef1f4" },
        values: (u, ticks) => ticks.map(clock) },
      // On the log axis only the decades are labelled and gridded; 2×, 3× … in between would crowd it.
      { label: yLabel, labelSize: 18, size: 52, stroke: "#61707f", grid: { stroke: "#eef1f4" },
        filter: log ? (u, splits) => splits.map((v) => (isDecade(v) ? v : null)) : undefined,
        values: (u, ticks) => ticks.map((v) => (v == null ? "" : compact.format(v))) },
    ],
    series: [{ label: "time" }, ...series],
  };
  return new uPlot(opts, [[], ...series.map(() => [])], byId(id));
}

function seriesFor(sources, unit) {
  return sources.map((s, i) => ({
    label: s.id, stroke: STATE_COLOURS[i % STATE_COLOURS.length], width: 1.5, spanGaps: false,
    value: (u, v) => (v == null ? "–" : unit === "bits" ? `${fmtH(v)} bits` : `${fmtInt(v)} B/s`),
  }));
}

function renderHistory(history) {
  const ids = history.sources.map((s) => s.id).join(",");
  if (charts.ids !== ids) {
    for (const key of ["rate", "entropy", "pool"]) {
      charts[key]?.destroy();
    }
    // Rates differ by orders of magnitude between sources (a TrueRNG and an I2C ADC), so the axis is logarithmic.
    charts.rate = makeChart("rate-chart", 220, "bytes / s (log scale)", seriesFor(history.sources, "bytes"), { distr: 3, log: 10 });
    charts.entropy = makeChart("entropy-chart", 220, "bits / sample", seriesFor(history.sources, "bits"), { range: [0, 8] });
    charts.pool = makeChart("pool-chart", 130, "leaves", [{ label: "depth", stroke: "#3b6ea5", width: 1.5, fill: "rgba(59,110,165,0.12)" }], { range: (u, min, max) => [0, Math.max(max, 1)] });
    charts.ids = ids;
  }
  const times = history.times;
  // A log axis cannot show 0 B/s: a stopped source is a gap, not a line to minus infinity.
  charts.rate.setData([times, ...history.sources.map((s) => s.bytes_per_second.map((v) => (v > 0 ? v : null)))]);
  charts.entropy.setData([times, ...history.sources.map((s) => s.min_entropy_estimate)]);
  charts.pool.setData([times, history.pool_depth]);
}

window.addEventListener("resize", () => {
  for (const [key, id] of [["rate", "rate-chart"], ["entropy", "entropy-chart"], ["pool", "pool-chart"]]) {
    charts[key]?.setSize({ width: chartWidth(id), height: charts[key].height });
  }
});

// ---- refresh loop -----------------------------------------------------------------------------------------------

let lastHistory = 0;

async function refresh() {
  const wantHistory = Date.now() - lastHistory >= HISTORY_MS;
  const [sources, pool, pulse, security, validators, mining, history] = await Promise.allSettled([
    getJson("/v1/sources"), getJson("/v1/pool"), getJson("/v1/pulses/latest"), getJson("/v1/security/state"),
    getJson("/v1/validators"), getJson("/v1/mining"), wantHistory ? getJson("/v1/history") : Promise.resolve(null),
  ]);
  const failures = [];
  const use = (result, render) => {
    if (result.status === "fulfilled") {
      if (result.value !== null) render(result.value);
    } else {
      failures.push(result.reason.message);
    }
  };
  use(sources, renderSources);
  use(pool, renderPool);
  use(pulse, renderChain);
  if (pulse.status === "fulfilled") {
    try {
      await verifyChain(pulse.value);
    } catch (e) {
      failures.push(`chain check: ${e.message}`);
    }
  }
  use(security, renderSecurity);
  use(validators, renderValidators);
  use(mining, renderMining);
  use(history, (h) => { lastHistory = Date.now(); renderHistory(h); });
  const banner = byId("error");
  banner.hidden = failures.length === 0;
  banner.textContent = failures.length ? `could not read: ${failures.join("; ")}` : "";
  setText("updated", new Date().toLocaleTimeString());
  document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes ?? 0) + 1);
}

let timer = null;
let running = false;

function schedule() {
  clearTimeout(timer);
  if (document.hidden || running) return;
  running = true;
  refresh().finally(() => {
    running = false;
    timer = setTimeout(schedule, REFRESH_MS);
  });
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) {
    lastHistory = 0;
    schedule();
  } else {
    clearTimeout(timer);
  }
});
schedule();
