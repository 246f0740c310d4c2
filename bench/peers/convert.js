#!/usr/bin/env node
// convert.js: N-Triples from bench/generate.cc -> the forms the relational
// and property-graph peers load idiomatically.
//
//   node convert.js data.nt OUTDIR
//
// OUTDIR/sqlite/triples.tsv   s \t p \t o \t k \t dt   (k: i = IRI, l = literal;
//                             o is the IRI or the literal's lexical form;
//                             \t \n \\ escaped as \t \n \\)
// OUTDIR/kuzu/schema.json     node tables (one per rdf:type class, columns
//                             from literal-valued predicates) and rel tables
//                             (one per IRI-valued predicate, with every
//                             FROM/TO node-table pair it connects)
// OUTDIR/kuzu/node_<Class>.csv, rel_<pred>__<From>__<To>.csv
//
// Two passes over the file: the first finds every subject's class, the
// second writes. IRIs without an rdf:type go to node table "Thing".
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const LINE = /^<([^>]*)>\s+<([^>]*)>\s+(?:<([^>]*)>|"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>|@([A-Za-z0-9-]+))?)\s*\.\s*$/;

function unescapeNt(s) {
  if (s.indexOf('\\') < 0) return s;
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (m, e) => {
    switch (e[0]) {
      case 't': return '\t'; case 'n': return '\n'; case 'r': return '\r';
      case 'b': return '\b'; case 'f': return '\f';
      case 'u': case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      default: return e;
    }
  });
}
const local = (iri) => iri.replace(/^.*[#/]/, '');
// A copy of `s` that holds nothing else alive. The regex's groups are
// slices of the line, and the line of readline's 64 KiB chunk: a map
// keeping the slices kept every chunk, the whole file (at 100M triples
// V8 ran out of heap). Only strings the maps keep are copied.
const own = (s) => (s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8'));
// Class and column names, one string each.
const names = new Map();
const intern = (s) => { let t = names.get(s); if (t === undefined) { t = own(s); names.set(t, t); } return t; };
const tsvEsc = (s) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
const csvEsc = (s) => (s == null ? '' : /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);

function kuzuType(dt) {
  if (!dt) return 'STRING';
  switch (dt) {
    case XSD + 'date': return 'DATE';
    case XSD + 'gYear': case XSD + 'integer': return 'INT64';
    case XSD + 'decimal': case XSD + 'double': return 'DOUBLE';
    case XSD + 'boolean': return 'BOOLEAN';
    default: return 'STRING';
  }
}

async function* lines(file) {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const l of rl) yield l;
}

async function main() {
  const [file, outDir] = process.argv.slice(2);
  if (!file || !outDir) { console.error('usage: node convert.js data.nt OUTDIR'); process.exit(2); }
  fs.mkdirSync(path.join(outDir, 'sqlite'), { recursive: true });
  fs.mkdirSync(path.join(outDir, 'kuzu'), { recursive: true });

  // Pass 1: classes.
  const cls = new Map();
  for await (const l of lines(file)) {
    if (l.indexOf(RDF_TYPE) < 0) continue;
    const m = LINE.exec(l);
    if (m && m[2] === RDF_TYPE && m[3]) {
      if (cls.has(m[1]) && cls.get(m[1]) !== local(m[3]))
        console.error(`convert: ${m[1]} has two classes; keeping the first`);
      else if (!cls.has(m[1])) cls.set(own(m[1]), intern(local(m[3])));
    }
  }
  const classOf = (iri) => cls.get(iri) || 'Thing';

  // Pass 2: rows.
  const nodes = new Map();      // class -> Map(iri -> {col: value})
  const columns = new Map();    // class -> Map(col -> kuzu type)
  const rels = new Map();       // "pred|From|To" -> array of "src,dst" lines
  const tsv = fs.createWriteStream(path.join(outDir, 'sqlite', 'triples.tsv'));
  let buf = [], n = 0, bad = 0, multi = 0;
  const node = (iri) => {
    const c = classOf(iri);
    if (!nodes.has(c)) { nodes.set(c, new Map()); columns.set(c, new Map()); }
    const t = nodes.get(c);
    let props = t.get(iri);
    if (props === undefined) { props = {}; t.set(own(iri), props); }
    return props;
  };
  for await (const l of lines(file)) {
    if (!l || l[0] === '#') continue;
    const m = LINE.exec(l);
    if (!m) { bad++; continue; }
    const [, s, p, oIri, oLex, dt, lang] = m;
    n++;
    if (oIri !== undefined) {
      buf.push(`${tsvEsc(s)}\t${tsvEsc(p)}\t${tsvEsc(oIri)}\ti\t`);
      node(s);
      if (p !== RDF_TYPE) {
        node(oIri);
        const key = `${local(p)}|${classOf(s)}|${classOf(oIri)}`;
        let r = rels.get(key);
        if (!r) {
          const [rp, rf, rt] = key.split('|');
          r = { file: path.join(outDir, 'kuzu', `rel_${rp}__${rf}__${rt}.csv`), buf: ['from,to'], rows: 0 };
          fs.writeFileSync(r.file, '');
          rels.set(key, r);
        }
        r.buf.push(own(csvEsc(s) + ',' + csvEsc(oIri)));
        r.rows++;
        if (r.buf.length >= 20000) { fs.appendFileSync(r.file, r.buf.join('\n') + '\n'); r.buf = []; }
      }
    } else {
      const lex = unescapeNt(oLex);
      const datatype = dt || (lang ? 'rdf:langString' : XSD + 'string');
      buf.push(`${tsvEsc(s)}\t${tsvEsc(p)}\t${tsvEsc(lex)}\tl\t${tsvEsc(datatype)}`);
      const props = node(s);
      const col = intern(local(p));
      const c = classOf(s);
      columns.get(c).set(col, kuzuType(dt));
      if (props[col] !== undefined) multi++;
      props[col] = own(lex);
    }
    if (buf.length >= 10000) {
      if (!tsv.write(buf.join('\n') + '\n')) await new Promise((r) => tsv.once('drain', r));
      buf = [];
    }
  }
  if (buf.length) tsv.write(buf.join('\n') + '\n');
  await new Promise((r) => tsv.end(r));

  const schema = { nodes: [], rels: {} };
  for (const [c, t] of nodes) {
    const cols = [...columns.get(c).entries()];
    const f = `node_${c}.csv`;
    // In pieces: one string of a table of millions of rows would pass
    // V8's longest string (2^29 characters).
    const fd = fs.openSync(path.join(outDir, 'kuzu', f), 'w');
    let out = ['id,' + cols.map(([k]) => k).join(',')];
    for (const [iri, props] of t) {
      out.push([csvEsc(iri), ...cols.map(([k]) => csvEsc(props[k]))].join(','));
      if (out.length >= 20000) { fs.writeSync(fd, out.join('\n') + '\n'); out = []; }
    }
    if (out.length) fs.writeSync(fd, out.join('\n') + '\n');
    fs.closeSync(fd);
    schema.nodes.push({ name: c, file: f, columns: cols.map(([k, ty]) => ({ name: k, type: ty })), rows: t.size });
  }
  for (const [key, r] of rels) {
    const [p, from, to] = key.split('|');
    if (r.buf.length) fs.appendFileSync(r.file, r.buf.join('\n') + '\n');
    (schema.rels[p] = schema.rels[p] || []).push({ from, to, file: path.basename(r.file), rows: r.rows });
  }
  fs.writeFileSync(path.join(outDir, 'kuzu', 'schema.json'), JSON.stringify(schema, null, 1));
  console.error(`convert: ${n} triples, ${bad} unparsed lines, ${multi} multi-valued literal properties (last kept in Kùzu), ` +
    `${schema.nodes.length} node tables, ${Object.keys(schema.rels).length} rel tables`);
  if (bad) process.exitCode = 1;
}
main().catch((e) => { console.error(e); process.exit(1); });
