#!/usr/bin/env node
// kg_cli.js: times the query suite through the `kg query` command, one
// process per run (so each time includes process start and store open).
//
//   node kg_cli.js KG STORE QUERY_DIR RUNS OUT.json LOAD_S TRIPLES DISK RSS_KB
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const [kg, store, qdir, runs, out, loadS, triples, disk, rss] = process.argv.slice(2);
const report = { system: 'kgstore-cli', load: { seconds: +loadS, triples: +triples, disk_bytes: +disk }, peak_rss_kb: +rss, queries: {} };
const unesc = (s) => s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (m, e) =>
  e[0] === 'u' || e[0] === 'U' ? String.fromCodePoint(parseInt(e.slice(1), 16)) : ({ t: '\t', n: '\n', r: '\r' }[e] ?? e));
function term(t) {
  if (t === '') return null;
  let m;
  if ((m = /^<(.*)>$/.exec(t))) return m[1];
  if ((m = /^"((?:[^"\\]|\\.)*)"(?:\^\^<.*>|@[A-Za-z0-9-]+)?$/.exec(t))) return unesc(m[1]);
  return t;
}
function once(file) {
  const t = process.hrtime.bigint();
  const r = spawnSync(kg, ['query', store, '-f', file, '--format', 'tsv', '--timeout', '60000'], { maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error((r.stderr || '').toString().trim().split('\n')[0] || `exit ${r.status}`);
  return { ms, out: r.stdout.toString() };
}
for (const f of fs.readdirSync(qdir).filter((f) => f.endsWith('.rq')).sort()) {
  const name = f.replace(/\.rq$/, '');
  const r = { cold_ms: null, warm_ms: [], error: null, rows: null };
  report.queries[name] = r;
  try {
    const c = once(path.join(qdir, f));
    r.cold_ms = c.ms;
    const lines = c.out.split('\n');
    lines.shift();
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    r.rows = lines.map((l) => l.split('\t').map(term));
    if (c.ms < 20000) for (let i = 0; i < +runs; i++) r.warm_ms.push(once(path.join(qdir, f)).ms);
  } catch (e) { r.error = String(e.message || e); }
  process.stderr.write(`kgstore-cli ${name}: cold ${r.cold_ms && r.cold_ms.toFixed(1)} ms${r.error ? ' ERROR ' + r.error : ''}\n`);
  fs.writeFileSync(out, JSON.stringify(report));
}
