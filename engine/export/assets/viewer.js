// The viewer of the HTML graph export (`kg export --format html`):
// engine/export/html_writer.cc embeds this file into every page at build
// time, after Cytoscape.js and the graph, the Cytoscape.js elements JSON in
// <script type="application/json" id="kg-data">.
//
// It lays the graph out (CoSE up to 600 nodes, a bounded force-directed
// pass beyond), and wires the side panel: search by label, the clicked
// element's attributes, the class legend. When drawn it sets data-nodes,
// data-edges, data-layout-iterations and data-ready="1" on <body>, which
// tests/export_test.cc reads back from headless Chromium. Text from the
// data only ever reaches the page through textContent.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kg-data').textContent);
  var els = data.elements;
  var n = els.nodes.length, m = els.edges.length;
  var big = n > 1500 || m > 5000;
  function cut(s) { s = String(s); return s.length > 80 ? s.slice(0, 80) + '\u2026' : s; }
  els.nodes.forEach(function (e) { e.data.dlabel = cut(e.data.label); });
  var style = [
    { selector: 'node', style: {
        'background-color': 'data(color)', 'width': big ? 8 : 18, 'height': big ? 8 : 18,
        'border-width': big ? 0 : 1, 'border-color': '#555',
        'label': big ? '' : 'data(dlabel)', 'font-size': 10, 'color': '#222',
        'text-valign': 'bottom', 'text-margin-y': 3, 'min-zoomed-font-size': n > 400 ? 7 : 0,
        'text-wrap': 'ellipsis', 'text-max-width': 120 } },
    { selector: 'edge', style: big ? {
        'curve-style': 'haystack', 'width': 0.6, 'line-color': '#b5b5b5', 'opacity': 0.6 } : {
        'curve-style': 'bezier', 'width': 1, 'line-color': '#b5b5b5',
        'target-arrow-shape': 'triangle', 'target-arrow-color': '#b5b5b5', 'arrow-scale': 0.7,
        'label': 'data(label)', 'font-size': 7, 'color': '#777', 'min-zoomed-font-size': 9,
        'text-rotation': 'autorotate', 'text-background-color': '#fafafa',
        'text-background-opacity': 0.8, 'text-background-padding': 1 } },
    { selector: 'node:selected, node.match', style: {
        'label': 'data(dlabel)', 'border-width': 3, 'border-color': '#d00', 'z-index': 10,
        'width': 22, 'height': 22, 'font-weight': 'bold' } },
    { selector: 'edge:selected', style: {
        'line-color': '#d00', 'target-arrow-color': '#d00', 'width': 2.5, 'opacity': 1,
        'label': 'data(label)', 'z-index': 10 } },
    { selector: '.faded', style: { 'opacity': 0.12 } }
  ];
  var cy = cytoscape({
    container: document.getElementById('cy'), elements: els, style: style,
    layout: { name: 'preset' }, wheelSensitivity: 0.3, minZoom: 0.02, maxZoom: 8,
    boxSelectionEnabled: false, hideEdgesOnViewport: big, textureOnViewport: big,
    pixelRatio: big ? 1 : 'auto', motionBlur: false
  });
  // Force-directed layout, synchronous and bounded. Small graphs: CoSE
  // (quadratic per iteration). Larger ones: a Fruchterman-Reingold pass
  // with grid-bucketed repulsion (linear per iteration), then preset.
  var iters;
  if (n <= 600) {
    iters = 1000;
    cy.layout({
      name: 'cose', animate: false, randomize: true, fit: true, padding: 30,
      numIter: iters, nodeDimensionsIncludeLabels: false,
      idealEdgeLength: function () { return 70; }, nodeRepulsion: function () { return 60000; },
      edgeElasticity: function () { return 60; }, gravity: 1, componentSpacing: 60,
      nodeOverlap: 4, initialTemp: 1000, coolingFactor: 0.99
    }).run();
  } else {
    iters = n > 20000 ? 50 : 120;
    fastForce(iters);
  }
  function fastForce(steps) {
    var nodes = cy.nodes(), edges = cy.edges(), idx = {};
    nodes.forEach(function (nd, i) { idx[nd.id()] = i; });
    var src = new Int32Array(m), dst = new Int32Array(m);
    edges.forEach(function (e, j) { src[j] = idx[e.data('source')]; dst[j] = idx[e.data('target')]; });
    // Grid-bucketed repulsion near by, coarse-cell centroids far away,
    // springs along edges (scaled by degree), a weak pull to the centre.
    var x = new Float64Array(n), y = new Float64Array(n);
    var fx = new Float64Array(n), fy = new Float64Array(n);
    var k = 40, k2 = k * k, cell = 2 * k, side = Math.sqrt(n) * k * 1.5, c = side / 2;
    var deg = new Float64Array(n);
    for (var e = 0; e < m; e++) { deg[src[e]]++; deg[dst[e]]++; }
    var seed = 42;
    function rnd() { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; }
    for (var i = 0; i < n; i++) { x[i] = rnd() * side; y[i] = rnd() * side; }
    var G = 10, gm = new Float64Array(G * G), gx = new Float64Array(G * G), gy = new Float64Array(G * G);
    var t = side / 8, maxcell = 0;
    for (var it = 0; it < steps; it++) {
      fx.fill(0); fy.fill(0); gm.fill(0); gx.fill(0); gy.fill(0);
      var cells = new Map(), j, a, b, dx, dy, d2, d, f, minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
      for (i = 0; i < n; i++) {
        var key = Math.floor(x[i] / cell) * 131072 + Math.floor(y[i] / cell);
        var l = cells.get(key); if (!l) { l = []; cells.set(key, l); } l.push(i);
        if (x[i] < minx) minx = x[i]; if (x[i] > maxx) maxx = x[i]; if (y[i] < miny) miny = y[i]; if (y[i] > maxy) maxy = y[i];
      }
      var gw = (maxx - minx) / G + 1e-6, gh = (maxy - miny) / G + 1e-6;
      var gcell = new Int32Array(n);
      for (i = 0; i < n; i++) {
        var g = Math.min(G - 1, Math.floor((x[i] - minx) / gw)) * G + Math.min(G - 1, Math.floor((y[i] - miny) / gh));
        gcell[i] = g; gm[g]++; gx[g] += x[i]; gy[g] += y[i];
      }
      for (g = 0; g < G * G; g++) if (gm[g]) { gx[g] /= gm[g]; gy[g] /= gm[g]; }
      for (i = 0; i < n; i++) {
        var cx = Math.floor(x[i] / cell), cyy = Math.floor(y[i] / cell);
        for (var ox = -1; ox <= 1; ox++) for (var oy = -1; oy <= 1; oy++) {
          var lst = cells.get((cx + ox) * 131072 + cyy + oy); if (!lst) continue;
          for (a = 0; a < lst.length; a++) {
            j = lst[a]; if (j === i) continue;
            dx = x[i] - x[j]; dy = y[i] - y[j]; d2 = dx * dx + dy * dy;
            if (d2 > cell * cell) continue;
            if (d2 < 0.01) { dx = rnd() - 0.5; dy = rnd() - 0.5; d2 = 0.01; }
            f = k2 / d2; fx[i] += dx * f; fy[i] += dy * f;
          }
        }
        // far field: every other coarse cell as one mass at its centroid
        for (g = 0; g < G * G; g++) {
          if (!gm[g] || g === gcell[i]) continue;
          dx = x[i] - gx[g]; dy = y[i] - gy[g]; d2 = dx * dx + dy * dy;
          if (d2 < cell * cell) continue;
          f = k2 * gm[g] / d2; fx[i] += dx * f; fy[i] += dy * f;
        }
        fx[i] -= (x[i] - c) * 1.0; fy[i] -= (y[i] - c) * 1.0;
      }
      for (j = 0; j < m; j++) {
        a = src[j]; b = dst[j]; if (a === b || a === undefined || b === undefined) continue;
        dx = x[a] - x[b]; dy = y[a] - y[b]; d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        f = d / k;
        fx[a] -= dx * f / deg[a]; fy[a] -= dy * f / deg[a]; fx[b] += dx * f / deg[b]; fy[b] += dy * f / deg[b];
      }
      for (i = 0; i < n; i++) {
        d = Math.sqrt(fx[i] * fx[i] + fy[i] * fy[i]);
        if (d > 0) { f = Math.min(d, t) / d; x[i] += fx[i] * f; y[i] += fy[i] * f; }
      }
      t = Math.max(1, t * 0.96);
    }
    cy.batch(function () { nodes.forEach(function (nd, i) { nd.position({ x: x[i], y: y[i] }); }); });
    cy.fit(undefined, 30);
  }

  var byId = function (id) { return document.getElementById(id); };
  byId('counts').textContent = n + ' nodes \u00b7 ' + m + ' edges' + (data.data.classes.length ? ' \u00b7 ' + data.data.classes.length + ' classes' : '');

  // Side panel: attributes of the clicked element (built with textContent only).
  var details = byId('details');
  function row(table, k, v) {
    var tr = document.createElement('tr');
    var a = document.createElement('td'); a.className = 'k'; a.textContent = k;
    var b = document.createElement('td');
    b.textContent = Array.isArray(v) ? (v.length ? v.map(function (x) { return x === '' ? '(default graph)' : x; }).join('\n') : '\u2014') : String(v);
    tr.appendChild(a); tr.appendChild(b); table.appendChild(tr);
  }
  function show(ele) {
    details.textContent = '';
    var d = ele.data();
    var h = document.createElement('h2');
    var t = document.createElement('table');
    if (ele.isNode()) {
      h.textContent = d.label;
      row(t, 'IRI', d.iri);
      row(t, 'class', d['class'] || '\u2014');
      if (d.types.length > 1) row(t, 'types', d.types);
      row(t, 'source graphs', d.graphs);
      Object.keys(d).forEach(function (k) {
        if (['id', 'label', 'dlabel', 'iri', 'class', 'color', 'types', 'graphs'].indexOf(k) < 0) row(t, k, d[k]);
      });
      row(t, 'edges', ele.outgoers('edge').length + ' out, ' + ele.incomers('edge').length + ' in');
    } else {
      h.textContent = d.label;
      row(t, 'from', ele.source().data('label'));
      row(t, 'to', ele.target().data('label'));
      row(t, 'predicate', d.predicate);
      row(t, 'source graph', d.graph === '' ? '(default graph)' : d.graph);
    }
    details.appendChild(h); details.appendChild(t);
  }
  cy.on('tap', 'node, edge', function (evt) { show(evt.target); });

  // Search by label.
  var search = byId('search'), list = byId('matches');
  function focus(node) {
    cy.elements().unselect(); node.select(); show(node);
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
  }
  search.addEventListener('input', function () {
    var q = search.value.trim().toLowerCase();
    cy.nodes('.match').removeClass('match');
    list.textContent = '';
    if (!q) return;
    var hits = cy.nodes().filter(function (nd) { return String(nd.data('label')).toLowerCase().indexOf(q) >= 0; });
    hits.addClass('match');
    hits.slice(0, 50).forEach(function (nd) {
      var li = document.createElement('li'); li.textContent = cut(nd.data('label'));
      li.title = nd.data('iri'); li.addEventListener('click', function () { focus(nd); });
      list.appendChild(li);
    });
    if (hits.length > 50) { var li = document.createElement('li'); li.className = 'hint'; li.textContent = (hits.length - 50) + ' more'; list.appendChild(li); }
  });
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { var hit = cy.nodes('.match').first(); if (hit.length) focus(hit); }
  });

  // Legend: colour by class; click to highlight a class, click again to clear.
  var legend = byId('legend'), active = null;
  var lh = document.createElement('h3'); lh.textContent = 'Classes'; legend.appendChild(lh);
  var entries = data.data.classes.slice();
  entries.push({ name: '(no class)', iri: '', color: data.data.noClassColor });
  entries.forEach(function (c) {
    var count = cy.nodes().filter(function (nd) { return (nd.data('class') || '') === (c.iri ? c.name : ''); }).length;
    if (!count) return;
    var div = document.createElement('div'); div.title = c.iri;
    var sw = document.createElement('span'); sw.className = 'sw'; sw.style.background = c.color;
    div.appendChild(sw); div.appendChild(document.createTextNode(c.name + ' (' + count + ')'));
    div.addEventListener('click', function () {
      cy.elements().removeClass('faded');
      if (active === c.name) { active = null; return; }
      active = c.name;
      var keep = cy.nodes().filter(function (nd) { return (nd.data('class') || '') === (c.iri ? c.name : ''); });
      cy.elements().not(keep).not(keep.connectedEdges()).addClass('faded');
    });
    legend.appendChild(div);
  });

  // What the tests read back from the rendered page.
  document.body.setAttribute('data-nodes', String(cy.nodes().length));
  document.body.setAttribute('data-edges', String(cy.edges().length));
  document.body.setAttribute('data-layout-iterations', String(iters));
  document.body.setAttribute('data-ready', '1');
  window.kgCy = cy;
})();
