#!/usr/bin/env node
// peer.js: load one peer and time the query suite on it, in one Node process.
//
//   NODE_PATH=<cache>/npm/node_modules node peer.js SYSTEM --conv DIR --nt FILE
//       --db DIR --runs N --out OUT.json [--port P --isql PATH]
//
// SYSTEM: sqlite (plain triple table), sqlite-dict (dictionary-encoded),
// duckdb (plain triple table read from the TSV), kuzu, oxigraph, virtuoso (a server run.sh started; loaded via isql, queried
// over HTTP /sparql). Writes OUT.json after the load and after every query, so
// a run killed by its time limit still reports what finished. Query times are
// wall clock from issuing the query to having every row in hand (ms).
//
// KG_PEER_MEMORY_MIB, when set, caps the memory of the peers that have a
// setting for it: DuckDB's memory_limit (it spills to a temp folder beside
// the database beyond it) and Kùzu's buffer pool size. Unset, each peer
// runs with its default (DuckDB: 80% of RAM; Kùzu: 80% of RAM), which at
// 10M triples let both reach about 20 GiB of RSS. The cap is recorded in
// the report (memory_cap_mib).
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const args = { runs: 5 };
const argv = process.argv.slice(2);
const system = argv.shift();
for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
const RUNS = Number(args.runs);
const QDIR = path.join(__dirname, 'queries');
const PREFIX = {
  ex: 'https://kgstore.example/id/', kg: 'https://kgstore.example/vocab#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};
const expand = (q) => { const [p, l] = [q.slice(0, q.indexOf(':')), q.slice(q.indexOf(':') + 1)]; return PREFIX[p] ? PREFIX[p] + l : q; };
const sq = (s) => "'" + s.replace(/'/g, "''") + "'";
const now = () => Number(process.hrtime.bigint()) / 1e6;

const MEMORY_MIB = Number(process.env.KG_PEER_MEMORY_MIB || 0);
const report = { system, load: null, queries: {} };
if (MEMORY_MIB > 0) report.memory_cap_mib = MEMORY_MIB;
const save = () => {
  report.peak_rss_kb = Math.max(report.peak_rss_kb || 0, process.resourceUsage().maxRSS);
  fs.writeFileSync(args.out, JSON.stringify(report));
};
function duBytes(p) {
  try { return Number(execFileSync('du', ['-sb', p]).toString().split('\t')[0]); } catch { return null; }
}

// The suite in one language. A query of the SPARQL suite with no form in
// this language (a count per predicate has no Cypher equivalent over a
// property-graph schema) is listed in report.not_expressed, not run.
function queryFiles(ext) {
  const dir = ext === 'rq' ? 'sparql' : ext;
  const names = (d, e) => fs.readdirSync(path.join(QDIR, d)).filter((f) => f.endsWith('.' + e)).map((f) => f.replace(/\.[^.]+$/, ''));
  const mine = new Set(names(dir, ext));
  report.not_expressed = names('sparql', 'rq').filter((n) => !mine.has(n)).sort();
  return fs.readdirSync(path.join(QDIR, dir)).filter((f) => f.endsWith('.' + ext)).sort()
    .map((f) => ({ name: f.replace(/\.[^.]+$/, ''), text: fs.readFileSync(path.join(QDIR, dir, f), 'utf8') }));
}

// Runs each query cold once, then RUNS times warm; exec(text) -> rows
// (array of arrays of strings/numbers/null). Skips warm runs after a cold
// run over 20 s.
async function suite(queries, exec) {
  for (const q of queries) {
    const r = { cold_ms: null, warm_ms: [], error: null, rows: null };
    report.queries[q.name] = r;
    try {
      let t = now();
      r.rows = await exec(q.text);
      r.cold_ms = now() - t;
      if (r.cold_ms < 20000) {
        for (let i = 0; i < RUNS; i++) { t = now(); await exec(q.text); r.warm_ms.push(now() - t); }
      }
    } catch (e) {
      r.error = String(e && e.message || e).slice(0, 500);
    }
    process.stderr.write(`${system} ${q.name}: cold ${r.cold_ms && r.cold_ms.toFixed(1)} ms${r.error ? ' ERROR ' + r.error : ''}\n`);
    save();
  }
}

function* tsvRows(file) {
  const un = (s) => s.replace(/\\(.)/g, (m, c) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 22);
  let rest = '';
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const chunk = rest + buf.toString('utf8', 0, n);
    const lines = chunk.split('\n');
    rest = lines.pop();
    for (const l of lines) yield l.split('\t').map(un);
  }
  if (rest) yield rest.split('\t').map(un);
  fs.closeSync(fd);
}

// The SQL suite expanded for one schema ({{T}} the table, {{I:..}} and
// {{L:..}} constants, {{V:col}} a value as text, {{N:col}} as a number
// through `numCast`, $ standing for the value): the plain triple table of
// strings, or the dictionary-encoded dtriples + terms. Writes the expanded
// SQL next to the database.
function sqlQueries(dict, numCast) {
  const num = (x) => numCast.replace('$', x);
  const macro = (text) => text.replace(/\{\{([TILVN])(?::([^}]*))?\}\}/g, (m, k, a) => {
    switch (k) {
      case 'T': return dict ? 'dtriples' : 'triples';
      case 'I': return dict ? `(SELECT id FROM terms WHERE v = ${sq(expand(a))} AND k = 'i')` : sq(expand(a));
      case 'L': return dict ? `(SELECT id FROM terms WHERE v = ${sq(a)} AND k = 'l')` : sq(a);
      case 'V': return dict ? `(SELECT v FROM terms WHERE id = ${a})` : a;
      case 'N': return dict ? `(SELECT ${num('v')} FROM terms WHERE id = ${a})` : num(a);
    }
  });
  const qs = queryFiles('sql').map((q) => ({ name: q.name, text: macro(q.text) }));
  fs.writeFileSync(path.join(args.db, 'expanded.sql'), qs.map((q) => `-- ${q.name}\n${q.text};`).join('\n'));
  return qs;
}

async function runSqlite(dict) {
  const Database = require('better-sqlite3');
  fs.mkdirSync(args.db, { recursive: true });
  const file = path.join(args.db, 'store.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144'); // 256 MiB page cache
  const t0 = now();
  let n = 0;
  if (!dict) {
    db.exec(`CREATE TABLE triples (s TEXT, p TEXT, o TEXT, k TEXT, dt TEXT, PRIMARY KEY (s, p, o)) WITHOUT ROWID`);
    const ins = db.prepare('INSERT OR IGNORE INTO triples VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => { for (const r of tsvRows(args.tsv)) { ins.run(r[0], r[1], r[2], r[3], r[4] || null); n++; } })();
    db.exec('CREATE INDEX pos ON triples (p, o, s); CREATE INDEX osp ON triples (o, s, p); ANALYZE;');
  } else {
    db.exec(`CREATE TABLE terms (id INTEGER PRIMARY KEY, v TEXT NOT NULL, k TEXT NOT NULL, dt TEXT);
             CREATE UNIQUE INDEX terms_v ON terms (v, k, dt);
             CREATE TABLE dtriples (s INTEGER, p INTEGER, o INTEGER, PRIMARY KEY (s, p, o)) WITHOUT ROWID`);
    const ids = new Map();
    const insT = db.prepare('INSERT INTO terms VALUES (?, ?, ?, ?)');
    const ins = db.prepare('INSERT OR IGNORE INTO dtriples VALUES (?, ?, ?)');
    const id = (v, k, dt) => {
      const key = k + (dt || '') + '\u0000' + v;
      let x = ids.get(key);
      if (x === undefined) { x = ids.size + 1; ids.set(key, x); insT.run(x, v, k, dt || null); }
      return x;
    };
    db.transaction(() => {
      for (const r of tsvRows(args.tsv)) { ins.run(id(r[0], 'i'), id(r[1], 'i'), id(r[2], r[3], r[4]), ); n++; }
    })();
    db.exec('CREATE INDEX pos ON dtriples (p, o, s); CREATE INDEX osp ON dtriples (o, s, p); ANALYZE;');
  }
  const secs = (now() - t0) / 1000;
  report.load = { seconds: secs, triples: n, disk_bytes: duBytes(args.db) };
  save();
  const qs = sqlQueries(dict, 'CAST($ AS REAL)');
  const stmts = new Map();
  await suite(qs, (text) => {
    if (!stmts.has(text)) stmts.set(text, db.prepare(text).raw(true));
    return stmts.get(text).all();
  });
  db.close();
}

async function runKuzu() {
  const kuzu = require('kuzu');
  const schema = JSON.parse(fs.readFileSync(path.join(args.conv, 'schema.json'), 'utf8'));
  // Kùzu 0.11 keeps a database in one file plus a .wal beside it: start
  // from an empty folder, and measure the folder.
  fs.rmSync(path.dirname(args.db), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(args.db), { recursive: true });
  const db = new kuzu.Database(args.db, MEMORY_MIB > 0 ? MEMORY_MIB * 1024 * 1024 : 0);
  const conn = new kuzu.Connection(db);
  const q = async (text) => { const r = await conn.query(text); const rows = await r.getAll(); r.close && r.close(); return rows; };
  // Kùzu's catalog is case-insensitive: a relation named like a class
  // (kg:country vs kg:Country) becomes <name>Rel.
  const nodeNames = new Set(schema.nodes.map((n) => n.name.toLowerCase()));
  const relName = (r) => (nodeNames.has(r.toLowerCase()) ? r + 'Rel' : r);
  const t0 = now();
  for (const nt of schema.nodes) {
    const cols = ['id STRING', ...nt.columns.map((c) => `${c.name} ${c.type}`), 'PRIMARY KEY (id)'];
    await q(`CREATE NODE TABLE ${nt.name} (${cols.join(', ')})`);
  }
  for (const [rel, pairs] of Object.entries(schema.rels))
    await q(`CREATE REL TABLE ${relName(rel)} (${pairs.map((p) => `FROM ${p.from} TO ${p.to}`).join(', ')})`);
  for (const nt of schema.nodes)
    await q(`COPY ${nt.name} FROM '${path.join(args.conv, nt.file)}' (header = true)`);
  for (const [rel, pairs] of Object.entries(schema.rels))
    for (const p of pairs)
      await q(`COPY ${relName(rel)} FROM '${path.join(args.conv, p.file)}' (header = true${pairs.length > 1 ? `, from = '${p.from}', to = '${p.to}'` : ''})`);
  const secs = (now() - t0) / 1000;
  const triples = Number(fs.readFileSync(path.join(args.conv, '..', 'count.txt'), 'utf8'));
  report.load = { seconds: secs, triples, disk_bytes: duBytes(path.dirname(args.db)) };
  save();
  try { await conn.query('CALL timeout = 60000'); } catch (e) { /* older/newer syntax */ }
  await suite(queryFiles('cypher'), async (text) => {
    const r = await conn.query(text);
    const rows = (await r.getAll()).map((o) => Object.values(o).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v == null ? null : typeof v === 'bigint' ? v.toString() : v)));
    return rows;
  });
}

// DuckDB as its users load a graph: the TSV read with read_csv, duplicates
// dropped (RDF is a set, as kgstore and SQLite's primary key make it), the
// TSV's \t \n \\ escapes undone on the rows that have any, then
// dictionary-encoded in SQL as sqlite-dict is -- terms(id, v, k, dt) and an
// integer dtriples(s, p, o) -- because joins on integers are what DuckDB
// is fast at (on a table of strings its hash joins over 10M rows ran out
// of the 60 s limit). dtriples is stored sorted by (p, s): a predicate's
// rows are then a few row groups that the zone maps find; no indexes
// (DuckDB's ART indexes serve constraints, not joins). The same SQL files
// as sqlite-dict.
async function runDuckdb() {
  const { DuckDBInstance } = require('@duckdb/node-api');
  fs.rmSync(args.db, { recursive: true, force: true });
  fs.mkdirSync(args.db, { recursive: true });
  const inst = await DuckDBInstance.create(path.join(args.db, 'store.duckdb'), MEMORY_MIB > 0
    ? { memory_limit: `${MEMORY_MIB}MiB`, temp_directory: path.join(args.db, 'tmp') } : {});
  const conn = await inst.connect();
  const run = async (text) => (await conn.runAndReadAll(text)).getRowsJson();
  const t0 = now();
  await run(`CREATE TEMP TABLE raw AS SELECT DISTINCT * FROM read_csv(${sq(args.tsv)}, delim = chr(9), header = false, quote = '', escape = '',
    auto_detect = false, columns = {'s': 'VARCHAR', 'p': 'VARCHAR', 'o': 'VARCHAR', 'k': 'VARCHAR', 'dt': 'VARCHAR'})`);
  await run(`UPDATE raw SET o = array_to_string(list_transform(string_split(o, '\\\\'),
    x -> replace(replace(x, '\\t', chr(9)), '\\n', chr(10))), '\\') WHERE contains(o, '\\')`);
  await run(`CREATE TABLE terms AS SELECT CAST(row_number() OVER () AS BIGINT) AS id, v, k, dt FROM (
    SELECT s AS v, 'i' AS k, CAST(NULL AS VARCHAR) AS dt FROM raw UNION SELECT p, 'i', NULL FROM raw UNION SELECT o, k, dt FROM raw)`);
  await run(`CREATE TABLE dtriples AS SELECT ts.id AS s, tp.id AS p, tobj.id AS o FROM raw
    JOIN terms ts ON ts.v = raw.s AND ts.k = 'i'
    JOIN terms tp ON tp.v = raw.p AND tp.k = 'i'
    JOIN terms tobj ON tobj.v = raw.o AND tobj.k = raw.k AND tobj.dt IS NOT DISTINCT FROM raw.dt
    ORDER BY tp.id, ts.id`);
  await run('DROP TABLE raw');
  await run('CHECKPOINT');
  const n = Number((await run('SELECT COUNT(*) FROM dtriples'))[0][0]);
  const secs = (now() - t0) / 1000;
  report.load = { seconds: secs, triples: n, disk_bytes: duBytes(args.db), version: require('@duckdb/node-api').version() };
  save();
  // (Constants looked up into variables first -- SET VARIABLE, then
  // getvariable(), which the binder folds -- were tried: no faster on the
  // triangles, 6x slower on q11 at 1M.)
  const qs = sqlQueries(true, 'TRY_CAST($ AS DOUBLE)');
  // The same 60 s limit as kgstore's and Kùzu's: interrupt() cancels the
  // running query, which then fails with an "interrupted" error.
  await suite(qs, async (text) => {
    const timer = setTimeout(() => conn.interrupt(), 60000);
    try { return await run(text); } finally { clearTimeout(timer); }
  });
  conn.closeSync && conn.closeSync();
}

function termValue(t) {
  if (!t) return null;
  return t.value;
}

async function runOxigraph() {
  const ox = require('oxigraph');
  const store = new ox.Store();
  const t0 = now();
  // One string per chunk of lines: the WASM store parses each chunk.
  const fd = fs.openSync(args.nt, 'r');
  const buf = Buffer.alloc(1 << 24);
  let rest = '';
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const chunk = rest + buf.toString('utf8', 0, n);
    const cut = chunk.lastIndexOf('\n') + 1;
    rest = chunk.slice(cut);
    store.load(chunk.slice(0, cut), { format: 'application/n-triples' });
  }
  if (rest) store.load(rest, { format: 'application/n-triples' });
  fs.closeSync(fd);
  const secs = (now() - t0) / 1000;
  report.load = { seconds: secs, triples: store.size, disk_bytes: 'in-memory' };
  save();
  await suite(queryFiles('rq'), (text) => {
    const res = store.query(text);
    const vars = (text.match(/SELECT\s+(?:DISTINCT\s+)?(.*?)\s*WHERE/is)[1].match(/\?\w+(?=\s*\)?\s*(?:$|\?|\())|AS\s+\?\w+/gi) || []).map((v) => v.replace(/^AS\s+/i, '').slice(1));
    const out = [];
    for (const b of res) out.push(vars.map((k) => termValue(b.get(k))));
    return out;
  });
}

async function runVirtuoso() {
  const isql = (sql) => execFileSync(args.isql, [String(args.isqlport), 'dba', 'dba', 'VERBOSE=OFF', 'BANNER=OFF', `exec=${sql}`], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 3600e3 }).toString();
  const t0 = now();
  isql(`ld_dir('${path.dirname(args.nt)}', '${path.basename(args.nt)}', 'https://kgstore.example/bench');`);
  isql('rdf_loader_run();');
  isql('checkpoint;');
  const secs = (now() - t0) / 1000;
  const cnt = isql('SPARQL SELECT COUNT(*) FROM <https://kgstore.example/bench> WHERE { ?s ?p ?o };').trim().split(/\s+/).pop();
  const errs = isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;").trim();
  report.load = { seconds: secs, triples: Number(cnt), disk_bytes: duBytes(args.db), loader_errors: errs || null };
  save();
  const endpoint = `http://127.0.0.1:${args.httpport}/sparql`;
  await suite(queryFiles('rq'), async (text) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/sparql-results+json' },
      // The dataset is the loaded graph, not Virtuoso's own system graphs too.
      body: new URLSearchParams({ query: text, 'default-graph-uri': 'https://kgstore.example/bench', timeout: '60000' }),
    });
    const body = await res.text();
    // Virtuoso's "anytime" mode returns a partial answer with these headers
    // when MaxQueryExecutionTime runs out: that is an error here, not a result.
    if (res.headers.get('x-sql-state')) throw new Error(`partial result: ${res.headers.get('x-sql-state')} ${res.headers.get('x-sql-message') || ''}`);
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${body.slice(0, 300)}`);
    const j = JSON.parse(body);
    const vars = j.head.vars;
    return j.results.bindings.map((b) => vars.map((v) => (b[v] ? b[v].value : null)));
  });
}

const runners = { sqlite: () => runSqlite(false), 'sqlite-dict': () => runSqlite(true), duckdb: runDuckdb, kuzu: runKuzu, oxigraph: runOxigraph, virtuoso: runVirtuoso };
if (!runners[system]) { console.error('peer.js: unknown system ' + system); process.exit(2); }
runners[system]().then(() => { save(); process.exit(0); }, (e) => { report.fatal = String(e && e.stack || e); save(); console.error(e); process.exit(1); });
