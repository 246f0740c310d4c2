#!/usr/bin/env node
// compare.js: checks that every system gave the same answer to every query
// and prints the comparison table (text to stdout, Markdown to --md FILE).
//
//   node compare.js --md OUT.md [--ref kgstore] RESULT.json...
//
// Answers are normalised before comparing: every cell is the IRI without
// <> or the literal's lexical form (SQL strings, Cypher values and SPARQL
// terms all end up there); a cell that parses as a number is compared as a
// number (12 significant digits, so "68.0", 68 and 68.00 agree); unbound /
// NULL is the empty string; rows are sorted. The reference is kgstore's
// answer (the first system when kgstore has none).
'use strict';
const fs = require('fs');
const path = require('path');

const argv = process.argv.slice(2);
let md = null, ref = 'kgstore';
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--md') md = argv[++i];
  else if (argv[i] === '--ref') ref = argv[++i];
  else files.push(argv[i]);
}
const systems = files.map((f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { return { system: path.basename(f, '.json'), fatal: 'unreadable result: ' + e.message, queries: {} }; } });

const cell = (v) => {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s.trim())) return String(Number(Number(s).toPrecision(12)));
  return s;
};
const norm = (rows) => rows.map((r) => r.map(cell).join('\u0001')).sort();
const median = (a) => { if (!a.length) return null; const b = [...a].sort((x, y) => x - y); const m = b.length >> 1; return b.length % 2 ? b[m] : (b[m - 1] + b[m]) / 2; };

const queries = [...new Set(systems.flatMap((s) => Object.keys(s.queries || {})))].sort();
const refSys = systems.find((s) => s.system === ref) || systems[0];
const mismatches = [];
for (const q of queries) {
  // The reference for this query: kgstore's answer, or, when kgstore has
  // none, the first system that has one (so the peers are still checked
  // against each other).
  const has = (s) => s && s.queries[q] && s.queries[q].rows && !s.queries[q].error;
  const qref = has(refSys) ? refSys : systems.find(has) || refSys;
  const r = qref && qref.queries[q];
  const rn = r && r.rows && !r.error ? norm(r.rows) : null;
  for (const s of systems) {
    if (s === qref) continue;
    const x = s.queries[q];
    if (!x && (s.not_expressed || []).includes(q)) continue;  // no form in its language
    if (!x) { mismatches.push(`${q}: ${s.system} did not run it${s.fatal ? ' (' + s.fatal.split('\n')[0] + ')' : ' (time limit?)'}`); continue; }
    if (x.error) { mismatches.push(`${q}: ${s.system} failed: ${x.error.split('\n')[0]}${qref !== refSys ? ' (others checked against ' + qref.system + ')' : ''}`); continue; }
    if (!rn) continue;
    const xn = norm(x.rows);
    if (xn.length !== rn.length || xn.some((v, i) => v !== rn[i])) {
      const a = new Set(rn), b = new Set(xn);
      const onlyRef = rn.filter((v) => !b.has(v)).slice(0, 2).map((v) => v.replace(/\u0001/g, ' | '));
      const onlyX = xn.filter((v) => !a.has(v)).slice(0, 2).map((v) => v.replace(/\u0001/g, ' | '));
      mismatches.push(`${q}: ${s.system} gives ${xn.length} rows, ${qref.system} ${rn.length}` +
        (onlyRef.length ? `; only ${qref.system}: ${JSON.stringify(onlyRef)}` : '') + (onlyX.length ? `; only ${s.system}: ${JSON.stringify(onlyX)}` : ''));
    }
  }
}

const fmtMs = (v) => (v == null ? '—' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const fmtBytes = (b) => (b == null ? '—' : typeof b === 'string' ? b : b > 1 << 30 ? (b / (1 << 30)).toFixed(2) + ' GiB' : (b / (1 << 20)).toFixed(1) + ' MiB');
const warm = (s, q) => { const x = s.queries && s.queries[q]; if (!x || x.error) return null; return x.warm_ms && x.warm_ms.length ? median(x.warm_ms) : null; };
const cold = (s, q) => { const x = s.queries && s.queries[q]; return x && !x.error ? x.cold_ms : null; };
const rowsOf = (s, q) => { const x = s.queries && s.queries[q]; return x && x.rows && !x.error ? x.rows.length : null; };

const names = systems.map((s) => s.system);
const table = [];
table.push(['', ...names]);
table.push(['load s', ...systems.map((s) => (s.load ? s.load.seconds.toFixed(1) : '—'))]);
table.push(['triples/s', ...systems.map((s) => (s.load && s.load.triples ? Math.round(s.load.triples / s.load.seconds).toLocaleString('en-US') : '—'))]);
table.push(['on disk', ...systems.map((s) => fmtBytes(s.load && s.load.disk_bytes))]);
table.push(['peak RSS', ...systems.map((s) => (s.peak_rss_kb ? (s.peak_rss_kb / 1024).toFixed(0) + ' MiB' + (s.memory_cap_mib ? ` (cap ${s.memory_cap_mib})` : '') : '—'))]);
if (systems.some((s) => s.open_ms != null))
  table.push(['open ms', ...systems.map((s) => (s.open_ms != null ? fmtMs(s.open_ms) : '—'))]);
for (const q of queries) {
  const rc = systems.map((s) => rowsOf(s, q)).find((n) => n != null);
  table.push([`${q} warm ms (cold)${rc != null ? ' [' + rc + ' rows]' : ''}`, ...systems.map((s) => {
    const w = warm(s, q), c = cold(s, q);
    if (c == null) return s.queries && s.queries[q] && s.queries[q].error ? 'error' : (s.not_expressed || []).includes(q) ? 'n/a' : '—';
    return `${fmtMs(w)} (${fmtMs(c)})`;
  })]);
}
// kgstore's ratio to each peer: kgstore time / peer time (< 1: kgstore faster).
const ratio = [['kgstore ÷ peer', ...names]];
if (refSys && refSys.system === ref) {
  const rl = refSys.load && refSys.load.seconds;
  ratio.push(['load time', ...systems.map((s) => (rl && s.load ? (rl / s.load.seconds).toFixed(2) : '—'))]);
  const rd = refSys.load && refSys.load.disk_bytes;
  ratio.push(['on disk', ...systems.map((s) => (typeof rd === 'number' && s.load && typeof s.load.disk_bytes === 'number' ? (rd / s.load.disk_bytes).toFixed(2) : '—'))]);
  for (const q of queries) {
    const a = warm(refSys, q) ?? cold(refSys, q);
    ratio.push([q, ...systems.map((s) => { const b = warm(s, q) ?? cold(s, q); return a != null && b ? (a / b).toFixed(2) : '—'; })]);
  }
}

// Each kgstore variant against the fastest peer (a system not named
// kgstore*) on each row: the "leads every row" in one column each.
const ours = systems.filter((s) => s.system.startsWith('kgstore'));
const peers = systems.filter((s) => !s.system.startsWith('kgstore'));
const best = [['kgstore ÷ fastest peer', ...ours.map((s) => s.system), 'fastest peer']];
if (ours.length && peers.length) {
  const loadRate = (s) => (s.load && s.load.triples ? s.load.triples / s.load.seconds : null);
  const bl = peers.filter((s) => loadRate(s)).sort((a, b) => loadRate(b) - loadRate(a))[0];
  if (bl) best.push(['load rate (peer ÷ kgstore)', ...ours.map((s) => (loadRate(s) ? (loadRate(bl) / loadRate(s)).toFixed(2) : '—')), bl.system]);
  const disk = (s) => (s.load && typeof s.load.disk_bytes === 'number' ? s.load.disk_bytes : null);
  const bd = peers.filter((s) => disk(s)).sort((a, b) => disk(a) - disk(b))[0];
  if (bd) best.push(['on disk', ...ours.map((s) => (disk(s) ? (disk(s) / disk(bd)).toFixed(2) : '—')), bd.system]);
  for (const q of queries) {
    const t = (s) => warm(s, q) ?? cold(s, q);
    const bp = peers.filter((s) => t(s)).sort((a, b) => t(a) - t(b))[0];
    best.push([q, ...ours.map((s) => (bp && t(s) ? (t(s) / t(bp)).toFixed(2) : '—')), bp ? bp.system : '—']);
  }
}

const text = (t) => { const w = t[0].map((_, j) => Math.max(...t.map((r) => String(r[j]).length))); return t.map((r) => r.map((c, j) => (j ? String(c).padStart(w[j]) : String(c).padEnd(w[j]))).join('  ')).join('\n'); };
const mdt = (t) => [t[0], t[0].map((_, j) => (j ? '---:' : '---')), ...t.slice(1)].map((r) => '| ' + r.join(' | ') + ' |').join('\n');
console.log(text(table) + '\n\n' + text(ratio) + (best.length > 1 ? '\n\n' + text(best) : ''));
console.log(`\nAnswers: ${mismatches.length ? mismatches.length + ' problem(s) (mismatches, errors, unfinished) against ' + (refSys && refSys.system) + ':\n  ' + mismatches.join('\n  ') : 'every system agrees with ' + (refSys && refSys.system) + ' on every query'}`);
for (const s of systems) if (s.fatal) console.log(`${s.system}: FAILED: ${s.fatal.split('\n')[0]}`);
if (md) {
  fs.writeFileSync(md, `${mdt(table)}\n\nWarm = median of the warm runs in ms, cold = first run; [rows] = the reference answer's row count; n/a = the query has no form in that system's language.\n\nRatio kgstore ÷ peer (below 1: kgstore is faster / smaller):\n\n${mdt(ratio)}\n\n` +
    (best.length > 1 ? `Each kgstore column against the fastest peer of the row (below 1: kgstore leads; load rate: peer rate ÷ kgstore rate):\n\n${mdt(best)}\n\n` : '') +
    `Answer check (reference ${refSys && refSys.system}): ${mismatches.length ? '\n\n' + mismatches.map((m) => '- ' + m).join('\n') : 'every system agrees on every query.'}\n` +
    systems.filter((s) => s.fatal).map((s) => `\n- ${s.system} FAILED: ${s.fatal.split('\n')[0]}`).join(''));
}
