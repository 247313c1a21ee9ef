/* kg views: type filter, search box and details panel for the vis-network pages
 * written by kg/views.py. All page text is set with textContent (never innerHTML):
 * titles and abstracts are untrusted. */
(function () {
  "use strict";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function norm(s) {
    return String(s).replace(/\s+/g, " ").trim().toLowerCase();
  }

  function safeHref(h, external) {
    if (typeof h !== "string" || !h) { return null; }
    if (external) { return /^https?:\/\//i.test(h) ? h : null; }
    // our own relative links only: no scheme, no protocol-relative URL
    return (/^[a-z][a-z0-9+.-]*:/i.test(h) || h.indexOf("//") === 0) ? null : h;
  }

  function init(network, nodes, edges, data) {
    var info = data.info || {};
    var status = document.getElementById("kg-status");
    var panel = document.getElementById("kg-info");
    var input = document.getElementById("kg-search");
    var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-kind]"));

    function say(text) { if (status) { status.textContent = text; } }

    // name / alias / id -> node id (first one in sorted id order wins)
    var lookup = new Map();
    Object.keys(info).sort().forEach(function (id) {
      var i = info[id];
      [i.name, id].concat(i.aliases || []).concat(i.search || []).forEach(function (s) {
        if (s && !lookup.has(norm(s))) { lookup.set(norm(s), id); }
      });
    });

    function hiddenKinds() {
      var h = new Set();
      boxes.forEach(function (b) { if (!b.checked) { h.add(b.getAttribute("data-kind")); } });
      return h;
    }

    function applyFilter() {
      var h = hiddenKinds();
      var hidden = new Set();
      nodes.update(nodes.get().map(function (n) {
        var off = h.has(n.group);
        if (off) { hidden.add(n.id); }
        return { id: n.id, hidden: off };
      }));
      edges.update(edges.get().map(function (e) {
        return { id: e.id, hidden: hidden.has(e.from) || hidden.has(e.to) };
      }));
      var shown = nodes.length - hidden.size;
      say(h.size ? "showing " + shown + " of " + nodes.length + " nodes" : "");
    }

    function show(id) {
      while (panel.firstChild) { panel.removeChild(panel.firstChild); }
      var i = info[id];
      if (!i) { panel.appendChild(el("p", "Click a node to see details.", "kg-hint")); return; }
      panel.appendChild(el("h2", i.name));
      var meta = i.kind;
      if (i.kind !== "paper") { meta += " \u00b7 " + i.papers + (i.papers === 1 ? " paper" : " papers"); }
      if (i.date) { meta += " \u00b7 " + i.date; }
      panel.appendChild(el("p", meta, "kg-meta"));
      if (i.aliases && i.aliases.length) {
        panel.appendChild(el("p", "Also: " + i.aliases.join(", "), "kg-aliases"));
      }
      if (i.evidence) {
        var q = el("blockquote", i.evidence);
        panel.appendChild(q);
        if (i.evidence_paper) { panel.appendChild(el("p", "\u2014 " + i.evidence_paper, "kg-cite")); }
      }
      if (i.source) { panel.appendChild(el("p", "Source: " + i.source, "kg-meta")); }
      var url = safeHref(i.url, true);
      if (url) {
        var a = el("a", i.url);
        a.href = url; a.rel = "noopener noreferrer nofollow"; a.target = "_blank";
        var p = el("p"); p.appendChild(a); panel.appendChild(p);
      }
      var href = safeHref(i.href, false);
      if (href) {
        var b = el("a", "Open the page of " + i.name);
        b.href = href;
        var p2 = el("p"); p2.appendChild(b); panel.appendChild(p2);
      }
    }

    function focusNode(id) {
      var n = nodes.get(id);
      if (!n) { return; }
      if (n.hidden) {  // bring its type back so the node can be shown
        boxes.forEach(function (b) { if (b.getAttribute("data-kind") === n.group) { b.checked = true; } });
        applyFilter();
      }
      network.selectNodes([id]);
      network.focus(id, { scale: 1.2, animation: { duration: 400 } });
      show(id);
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
    boxes.forEach(function (b) { b.addEventListener("change", applyFilter); });
    var fit = document.getElementById("kg-fit");
    if (fit) { fit.addEventListener("click", function () { network.fit({ animation: true }); }); }

    network.on("selectNode", function (p) { if (p.nodes.length) { show(p.nodes[0]); } });
    network.on("deselectNode", function () { show(null); });
    network.on("doubleClick", function (p) {
      if (!p.nodes.length) { return; }
      var href = info[p.nodes[0]] && safeHref(info[p.nodes[0]].href, false);
      if (href) { window.location.href = href; }
    });
    network.on("stabilizationProgress", function (p) {
      say("laying out\u2026 " + Math.round((100 * p.iterations) / p.total) + "%");
    });
    network.once("stabilizationIterationsDone", function () { say(""); });
    if (data.focus) { network.selectNodes([data.focus]); show(data.focus); }
  }

  window.kgViews = { init: init };
})();
