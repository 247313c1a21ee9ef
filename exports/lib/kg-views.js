/* kg views: draws the vis-network pages written by kg/views/ and adds the controls:
 * search box, type filter, link-support filter, neighbourhood highlight, tooltips and
 * the details panel. All page text is set with textContent or handed to vis-network
 * as plain text (never innerHTML): titles and abstracts are untrusted.
 *
 * Page data (JSON in #kg-data): S = sentences; P = paper rows [id, title, date, source,
 * url] (null: the site's shared table, window.kgPapers from lib/papers.js); nodes =
 * entities {id (type/slug), name, n (papers), aka, ev, more, l or href, x, y} and papers
 * {p (row in P), ev, x, y}; edges [from, to (indices into nodes), relation (index into
 * R, the relation names), n (papers), ev (optional)];
 * focus (node id or null); pages (folder of the entity pages); kinds [type, colour,
 * count]. Evidence is [paper row, sentence index] pairs (-1: none). */
(function () {
  "use strict";

  var DIM = "rgba(200,200,200,0.35)";
  var TIP_TEXT = 220;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function norm(s) { return String(s).replace(/\s+/g, " ").trim().toLowerCase(); }

  function clip(s, n) { s = String(s); return s.length <= n ? s : s.slice(0, n - 1) + "\u2026"; }

  function plural(n, w) { return n + " " + w + (n === 1 ? "" : "s"); }

  function darker(hex) {
    var c = [1, 3, 5].map(function (i) { return Math.floor(parseInt(hex.substr(i, 2), 16) * 0.7); });
    return "rgb(" + c.join(",") + ")";
  }

  function safeHref(h, external) {
    if (typeof h !== "string" || !h) { return null; }
    if (external) { return /^https?:\/\//i.test(h) ? h : null; }
    // our own relative links only: no scheme, no protocol-relative URL
    return (/^[a-z][a-z0-9+.-]*:/i.test(h) || h.indexOf("//") === 0) ? null : h;
  }

  function options(data) {
    var groups = {};
    data.kinds.forEach(function (kind) {
      var k = kind[0], c = kind[1];
      groups[k] = {
        shape: k === "paper" ? "square" : "dot",
        color: { background: c, border: darker(c), highlight: { background: c, border: "#000" } }
      };
    });
    groups.paper.size = 9;
    groups.paper.font = { size: 11, color: "#555" };
    var n = data.nodes.length;
    return {
      layout: { improvedLayout: false, randomSeed: 2024 },
      physics: {
        solver: "forceAtlas2Based",
        forceAtlas2Based: {
          gravitationalConstant: -70, centralGravity: 0.012, springLength: 120,
          springConstant: 0.05, avoidOverlap: 0.6
        },
        // positions are precomputed: a short relaxation, then physics stops
        stabilization: { enabled: true, iterations: n > 400 ? 60 : 150, updateInterval: 25, fit: true }
      },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, hideEdgesOnZoom: n > 400 },
      nodes: {
        borderWidth: 1,
        font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#fff" },
        scaling: {
          min: 8, max: 38,
          // labels of small nodes are not drawn when zoomed out: no pile-up
          label: { enabled: true, min: 14, max: 32, maxVisible: 32, drawThreshold: 7 }
        }
      },
      edges: { smooth: false, color: { inherit: false }, selectionWidth: 2 },
      groups: groups
    };
  }

  function init(data) {
    var S = data.S || [];
    var P = data.P || window.kgPapers || [];
    var info = {};
    data.nodes.forEach(function (n) {
      if (n.p !== undefined) {  // a paper: its row in the paper table
        var row = P[n.p] || ["", "", "", "", ""];
        n.id = "paper/" + row[0];
        n.kind = "paper"; n.title = row[1]; n.date = row[2]; n.source = row[3]; n.url = row[4];
      }
      if (!n.kind) { n.kind = n.id.split("/")[0]; }
      if (n.l && typeof data.pages === "string") { n.href = data.pages + n.id.replace("/", "-") + ".html"; }
      info[n.id] = n;
    });
    var status = document.getElementById("kg-status");
    var panel = document.getElementById("kg-info");
    var input = document.getElementById("kg-search");
    var minInput = document.getElementById("kg-min");
    var legend = document.getElementById("kg-legend");
    var boxes = data.kinds.map(function (kind) {  // [type, colour, number of nodes]
      var label = el("label");
      var box = el("input");
      box.type = "checkbox"; box.checked = true; box.disabled = !kind[2];
      box.setAttribute("data-kind", kind[0]);
      var swatch = el("span", null, "kg-swatch");
      swatch.style.background = kind[1];
      label.appendChild(box); label.appendChild(swatch);
      label.appendChild(document.createTextNode(kind[0] + " "));
      label.appendChild(el("span", "(" + kind[2] + ")", "kg-count"));
      if (legend) { legend.appendChild(label); }
      return box;
    });

    function say(text) { if (status) { status.textContent = text; } }
    function str(i) { return (typeof i === "number" && i >= 0 && i < S.length) ? S[i] : ""; }
    function title(p) { return (typeof p === "number" && p >= 0 && P[p]) ? P[p][1] : ""; }
    function nameOf(id) { var i = info[id]; return i ? (i.kind === "paper" ? i.title : i.name) : id; }

    function nodeTip(id) {
      var i = info[id];
      if (!i) { return id; }
      var lines = [nameOf(id)];
      if (i.kind === "paper") {
        lines.push(["paper", i.date, i.source].filter(Boolean).join(" \u00b7 "));
      } else {
        lines.push(i.kind + " \u00b7 " + plural(i.n, "paper"));
        if (i.aka && i.aka.length) {
          lines.push("also: " + i.aka.slice(0, 4).join(", ") + (i.aka.length > 4 ? " \u2026" : ""));
        }
      }
      var ev = (i.ev || [])[0];
      if (ev && (str(ev[1]) || title(ev[0]))) {
        lines.push("\u201c" + clip(str(ev[1]) || title(ev[0]), TIP_TEXT) + "\u201d");
      }
      if (i.href) { lines.push("(double-click to open its page)"); }
      return lines.join("\n");
    }

    function edgeTip(e) {
      var rel = e.rel === "co_mentioned" ? "mentioned with" : e.rel.replace(/_/g, " ");
      var lines = [nameOf(e.from) + " \u2192 " + rel + " \u2192 " + nameOf(e.to)];
      if (e.rel === "co_mentioned") { lines.push("together in " + plural(e.n, "paper")); }
      else if (e.rel !== "mentions" && e.rel !== "proposes") { lines.push("supported by " + plural(e.n, "paper")); }
      var ev = (e.ev || [])[0];
      if (ev && str(ev[1])) { lines.push("\u201c" + clip(str(ev[1]), TIP_TEXT) + "\u201d"); }
      else if (ev && title(ev[0])) { lines.push("e.g. " + clip(title(ev[0]), 120)); }
      return lines.join("\n");
    }

    function edgeStyle(e) {
      var paperLink = e.rel === "mentions" || e.rel === "proposes";
      var co = e.rel === "co_mentioned";
      var colour = paperLink ? "#c8c8c8" : co ? "#b0b0b0" : "#555555";
      var width = paperLink ? (e.rel === "proposes" ? 3 : 1) :
        Math.min(1 + Math.log(Math.max(e.n || 1, 1)) / Math.LN2, 6);
      return {
        id: e.id, from: e.from, to: e.to, title: edgeTip(e), width: width,
        color: { color: colour, highlight: "#000", hover: "#000" }, _colour: colour,
        dashes: co || e.rel === "variant_of",
        arrows: (paperLink || co) ? { to: { enabled: false } } : "to"
      };
    }

    var visNodes = data.nodes.map(function (n) {
      var i = info[n.id] || {};
      var v = { id: n.id, label: clip(nameOf(n.id), 28), group: i.kind, title: nodeTip(n.id), x: n.x, y: n.y };
      if (i.kind !== "paper") { v.value = Math.max(i.n || 1, 1); }
      if (n.id === data.focus) { v.borderWidth = 4; v.mass = 3; }
      return v;
    });
    var links = data.edges.map(function (e, k) {
      return { id: "e" + k, from: data.nodes[e[0]].id, to: data.nodes[e[1]].id, rel: data.R[e[2]], n: e[3], ev: e[4] };
    });
    var byEdge = {};
    links.forEach(function (e) { byEdge[e.id] = e; });
    var nodes = new vis.DataSet(visNodes);
    var edges = new vis.DataSet(links.map(edgeStyle));
    var container = document.getElementById("mynetwork");
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, options(data));
    window.network = network;
    window.kgReady = false;
    network.on("stabilizationProgress", function (p) {
      say("laying out\u2026 " + Math.round((100 * p.iterations) / p.total) + "%");
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      say("");
      window.kgReady = true;
    });

    // search: name / alias / id -> node id (first one in sorted id order wins)
    var lookup = new Map();
    var names = document.getElementById("kg-names");
    Object.keys(info).sort().forEach(function (id) {
      var i = info[id];
      if (i.kind === "paper") { return; }
      [i.name, id].concat(i.aka || []).forEach(function (s) {
        if (s && !lookup.has(norm(s))) { lookup.set(norm(s), id); }
      });
      if (names) { var o = el("option", i.kind); o.value = i.name; names.appendChild(o); }
    });

    var state = { kinds: new Set(), min: 1, focus: null };

    function refresh() {
      var near = null;
      if (state.focus !== null && nodes.get(state.focus)) {
        near = new Set(network.getConnectedNodes(state.focus));
        near.add(state.focus);
      }
      var hidden = new Set();
      nodes.update(nodes.get().map(function (n) {
        var off = state.kinds.has(n.group);
        if (off) { hidden.add(n.id); }
        var dim = near !== null && !near.has(n.id);
        return {
          id: n.id, hidden: off,
          // null: back to the colours of its group
          color: dim ? { background: DIM, border: DIM } : null,
          font: dim ? { color: "rgba(120,120,120,0.4)" } : null
        };
      }));
      edges.update(edges.get().map(function (e) {
        var d = byEdge[e.id];
        var weak = d.rel !== "mentions" && d.rel !== "proposes" && (d.n || 1) < state.min;
        var dim = near !== null && e.from !== state.focus && e.to !== state.focus;
        return {
          id: e.id, hidden: weak || hidden.has(e.from) || hidden.has(e.to),
          color: { color: dim ? DIM : e._colour, highlight: "#000", hover: "#000" }
        };
      }));
      var shown = nodes.length - hidden.size;
      say(hidden.size ? "showing " + shown + " of " + nodes.length + " nodes" : "");
    }

    function evidenceList(ev, more) {
      var ul = el("ul", null, "kg-ev");
      (ev || []).forEach(function (p) {
        var li = el("li");
        if (title(p[0])) { li.appendChild(el("span", title(p[0]), "kg-title")); }
        if (str(p[1])) { li.appendChild(el("q", str(p[1]))); }
        ul.appendChild(li);
      });
      if (more) { ul.appendChild(el("li", "\u2026 and " + plural(more, "more paper"), "kg-hint")); }
      return ul;
    }

    function clear() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }

    function show(id) {
      clear();
      var i = info[id];
      if (!i) { panel.appendChild(el("p", "Click a node to see details.", "kg-hint")); return; }
      panel.appendChild(el("h2", nameOf(id)));
      var meta = [i.kind];
      if (i.kind !== "paper") { meta.push(plural(i.n, "paper")); }
      if (i.date) { meta.push(i.date); }
      if (i.source) { meta.push(i.source); }
      panel.appendChild(el("p", meta.join(" \u00b7 "), "kg-meta"));
      if (i.aka && i.aka.length) { panel.appendChild(el("p", "Also: " + i.aka.join(", "), "kg-aliases")); }
      var href = safeHref(i.href, false);
      if (href) {
        var b = el("a", "Open the page of " + i.name + " \u2192");
        b.href = href;
        var p2 = el("p"); p2.appendChild(b); panel.appendChild(p2);
      }
      var url = safeHref(i.url, true);
      if (url) {
        var a = el("a", i.url);
        a.href = url; a.rel = "noopener noreferrer nofollow"; a.target = "_blank";
        var p = el("p"); p.appendChild(a); panel.appendChild(p);
      }
      if ((i.ev && i.ev.length) || i.more) {
        panel.appendChild(el("h3", i.kind === "paper" ? "Evidence" : "Papers"));
        panel.appendChild(evidenceList(i.ev, i.more));
      }
    }

    function showEdge(id) {
      var e = byEdge[id];
      if (!e) { return; }
      clear();
      var rel = e.rel === "co_mentioned" ? "mentioned with" : e.rel.replace(/_/g, " ");
      panel.appendChild(el("h2", nameOf(e.from) + " \u2192 " + rel + " \u2192 " + nameOf(e.to)));
      panel.appendChild(el("p", plural(e.n || 1, "paper"), "kg-meta"));
      panel.appendChild(evidenceList(e.ev, Math.max(0, (e.n || 0) - (e.ev || []).length)));
    }

    function select(id) {
      state.focus = id;
      refresh();
      show(id);
    }

    function focusNode(id) {
      var n = nodes.get(id);
      if (!n) { return false; }
      if (state.kinds.has(n.group)) {  // bring its type back so the node can be shown
        boxes.forEach(function (b) { if (b.getAttribute("data-kind") === n.group) { b.checked = true; } });
        state.kinds.delete(n.group);
      }
      network.selectNodes([id]);
      select(id);
      network.focus(id, { scale: 1.2, animation: { duration: 300 } });
      return true;
    }

    function search() {
      var q = norm(input.value);
      if (!q) { return; }
      var id = lookup.get(q);
      if (id === undefined) {  // fall back to the first name that contains the text
        var keys = Array.from(lookup.keys()).sort();
        for (var k = 0; k < keys.length; k++) {
          if (keys[k].indexOf(q) !== -1) { id = lookup.get(keys[k]); break; }
        }
      }
      if (id === undefined) { say("no node matches \u201c" + input.value + "\u201d"); return; }
      say("");
      focusNode(id);
    }

    if (input) {
      input.addEventListener("change", search);
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") { ev.preventDefault(); search(); }
      });
    }
    boxes.forEach(function (b) {
      b.addEventListener("change", function () {
        var k = b.getAttribute("data-kind");
        if (b.checked) { state.kinds.delete(k); } else { state.kinds.add(k); }
        refresh();
      });
    });
    if (minInput) {
      minInput.addEventListener("input", function () {
        state.min = Math.max(1, parseInt(minInput.value, 10) || 1);
        refresh();
      });
    }
    var fit = document.getElementById("kg-fit");
    if (fit) { fit.addEventListener("click", function () { network.fit({ animation: true }); }); }

    network.on("click", function (p) {
      if (p.nodes.length) { select(p.nodes[0]); }
      else if (p.edges.length) { state.focus = null; refresh(); showEdge(p.edges[0]); }
      else if (state.focus !== null) { state.focus = null; refresh(); show(null); }
    });
    network.on("doubleClick", function (p) {
      if (!p.nodes.length) { return; }
      var href = info[p.nodes[0]] && safeHref(info[p.nodes[0]].href, false);
      if (href) { window.location.href = href; }
    });
    if (data.focus && nodes.get(data.focus)) {
      network.selectNodes([data.focus]);
      show(data.focus);
    }
    return { network: network, nodes: nodes, edges: edges, focusNode: focusNode, search: search };
  }

  window.kgViews = { init: init };
})();
