// blueprint report: hand-written, no dependencies. Views are inline SVG laid out by blueprint;
// this script adds pan and zoom, node details, the findings table and path highlighting.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var stages = {};
  var current = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // -- pan and zoom -------------------------------------------------------------------------
  function Stage(div) {
    this.div = div;
    this.svg = div.querySelector("svg");
    this.viewport = this.svg.querySelector("g.viewport");
    this.width = parseFloat(this.svg.getAttribute("width"));
    this.height = parseFloat(this.svg.getAttribute("height"));
    // Our own transform replaces the viewBox so that pan and zoom are in screen pixels.
    this.svg.removeAttribute("viewBox");
    this.svg.removeAttribute("width");
    this.svg.removeAttribute("height");
    this.x = 0; this.y = 0; this.k = 1; this.fitted = false;
    var self = this, drag = null;
    div.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var r = self.svg.getBoundingClientRect();
      self.zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    div.addEventListener("mousedown", function (ev) {
      drag = { x: ev.clientX, y: ev.clientY, ox: self.x, oy: self.y, moved: false };
      div.classList.add("panning");
    });
    window.addEventListener("mousemove", function (ev) {
      if (!drag) { return; }
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
      self.x = drag.ox + dx; self.y = drag.oy + dy; self.apply();
    });
    window.addEventListener("mouseup", function () {
      if (drag) { div.classList.remove("panning"); self.dragged = drag.moved; drag = null; }
    });
    this.svg.addEventListener("click", function (ev) {
      if (self.dragged) { self.dragged = false; return; }
      var node = ev.target.closest(".node, .box");
      if (node) { showNode(node.getAttribute("data-id")); }
    });
    this.svg.addEventListener("keydown", function (ev) {
      var node = ev.target.closest(".node");
      if (node && (ev.key === "Enter" || ev.key === " ")) { showNode(node.getAttribute("data-id")); }
    });
  }
  Stage.prototype.apply = function () {
    this.viewport.setAttribute("transform",
      "translate(" + this.x.toFixed(1) + "," + this.y.toFixed(1) + ") scale(" + this.k.toFixed(4) + ")");
  };
  Stage.prototype.zoomAt = function (factor, cx, cy) {
    var k = Math.min(4, Math.max(0.1, this.k * factor));
    this.x = cx - (cx - this.x) * (k / this.k);
    this.y = cy - (cy - this.y) * (k / this.k);
    this.k = k; this.apply();
  };
  Stage.prototype.fitTo = function (box) {
    var w = this.div.clientWidth || 800, h = this.div.clientHeight || 560;
    var k = Math.min(w / box.w, h / box.h, 1.5);
    this.k = k;
    this.x = (w - box.w * k) / 2 - box.x * k;
    this.y = (h - box.h * k) / 2 - box.y * k;
    this.apply(); this.fitted = true;
  };
  Stage.prototype.fit = function () { this.fitTo({ x: 0, y: 0, w: this.width, h: this.height }); };

  // -- views --------------------------------------------------------------------------------
  function showView(view) {
    current = view;
    document.querySelectorAll(".stage").forEach(function (div) {
      div.hidden = div.getAttribute("data-view") !== view;
    });
    document.querySelectorAll("button.tab").forEach(function (b) {
      b.setAttribute("aria-selected", b.getAttribute("data-view") === view ? "true" : "false");
    });
    if (!stages[view].fitted) { stages[view].fit(); }
  }

  function clearHighlight() {
    document.querySelectorAll(".hl").forEach(function (e) { e.classList.remove("hl"); });
    document.querySelectorAll("svg.dimmed").forEach(function (e) { e.classList.remove("dimmed"); });
    document.querySelectorAll("tr.finding.active").forEach(function (e) { e.classList.remove("active"); });
  }

  function highlightFinding(index) {
    var f = data.findings[index];
    clearHighlight();
    showView(f.view);
    var stage = stages[f.view], marks = f.highlight[f.view];
    var xs = [], ys = [];
    marks.nodes.forEach(function (id) {
      var node = stage.svg.querySelector('[data-id="' + CSS.escape(id) + '"]');
      if (!node) { return; }
      node.classList.add("hl");
      var r = node.querySelector("rect");
      var x = parseFloat(r.getAttribute("x")), y = parseFloat(r.getAttribute("y"));
      xs.push(x, x + parseFloat(r.getAttribute("width")));
      ys.push(y, y + parseFloat(r.getAttribute("height")));
    });
    marks.edges.forEach(function (id) {
      var edge = document.getElementById(id);
      if (edge) { edge.classList.add("hl"); }
    });
    if (marks.nodes.length) { stage.svg.classList.add("dimmed"); }
    if (xs.length) {
      var x0 = Math.min.apply(null, xs) - 60, y0 = Math.min.apply(null, ys) - 60;
      stage.fitTo({ x: x0, y: y0, w: Math.max.apply(null, xs) + 60 - x0,
        h: Math.max.apply(null, ys) + 60 - y0 });
    }
    var row = document.querySelector('tr.finding[data-index="' + index + '"]');
    if (row) { row.classList.add("active"); }
    showNode(f.subject, true);
  }

  // -- details ------------------------------------------------------------------------------
  function showNode(id, keepHighlight) {
    var panel = document.getElementById("details");
    var node = data.nodes[id];
    panel.textContent = "";
    document.querySelectorAll(".node.selected").forEach(function (e) { e.classList.remove("selected"); });
    if (current) {
      var shown = stages[current].svg.querySelector('.node[data-id="' + CSS.escape(id) + '"]');
      if (shown) { shown.classList.add("selected"); }
    }
    if (!keepHighlight) { clearHighlight(); }
    if (!node) { panel.appendChild(el("p", { "class": "hint" }, id)); return; }
    panel.appendChild(el("h3", {}, node.label));
    var meta = el("p", {});
    meta.appendChild(el("code", {}, id));
    meta.appendChild(document.createTextNode(" · " + node.kind));
    if (node.line) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(el("a", { href: "#L" + node.line }, "line " + node.line));
    }
    panel.appendChild(meta);
    var facts = Object.keys(node.facts);
    if (facts.length) {
      var dl = el("table", {});
      facts.forEach(function (k) {
        var tr = el("tr", {});
        tr.appendChild(el("th", {}, k)); tr.appendChild(el("td", {}, node.facts[k]));
        dl.appendChild(tr);
      });
      panel.appendChild(dl);
    }
    panel.appendChild(el("h4", {}, "findings (" + node.findings.length + ")"));
    if (node.findings.length) {
      var ul = el("ul", {});
      node.findings.forEach(function (i) {
        var f = data.findings[i];
        var li = el("li", {});
        var a = el("a", { href: "#finding-" + i, "class": "sev " + (f.waived ? "waived" : f.severity) },
          f.rule + " " + (f.waived ? "waived" : f.severity));
        a.addEventListener("click", function (ev) { ev.preventDefault(); highlightFinding(i); });
        li.appendChild(a);
        li.appendChild(document.createTextNode(": " + f.message));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    if (node.spec !== null) {
      panel.appendChild(el("h4", {}, "spec"));
      panel.appendChild(el("pre", {}, JSON.stringify(node.spec, null, 2)));
    }
  }

  // -- findings table -----------------------------------------------------------------------
  function renderFindings() {
    var tbody = document.querySelector("table.findings tbody");
    var rules = {};
    data.findings.forEach(function (f, i) {
      rules[f.rule] = f.title;
      var tr = el("tr", { "class": "finding", "data-index": String(i), id: "finding-" + i,
        "data-severity": f.waived ? "waived" : f.severity, "data-rule": f.rule,
        "data-subject": f.subject });
      var label = f.waived ? "waived" : f.severity;
      tr.appendChild(el("td", { "class": "sev " + label }, label));
      var rule = el("td", { "class": "rule" });
      var link = el("a", { href: f.docs, title: f.title, target: "_blank", rel: "noopener" }, f.rule);
      link.addEventListener("click", function (ev) { ev.stopPropagation(); });
      rule.appendChild(link);
      tr.appendChild(rule);
      tr.appendChild(el("td", { "class": "subject" }, f.subject));
      var msg = el("td", {}, f.message);
      if (f.evidence.length > 1) {
        msg.appendChild(el("div", { "class": "hint" }, "path: " + f.evidence.join(" → ")));
      }
      tr.appendChild(msg);
      var line = el("td", {});
      var lineLink = el("a", { href: "#L" + f.line }, f.line + ":" + f.col);
      lineLink.addEventListener("click", function (ev) { ev.stopPropagation(); });
      line.appendChild(lineLink);
      tr.appendChild(line);
      tr.addEventListener("click", function () { highlightFinding(i); });
      tbody.appendChild(tr);
    });
    var select = document.getElementById("filter-rule");
    Object.keys(rules).sort().forEach(function (r) {
      select.appendChild(el("option", { value: r }, r + " " + rules[r]));
    });
    document.getElementById("no-findings").hidden = data.findings.length > 0;
  }

  function applyFilters() {
    var sev = document.getElementById("filter-severity").value;
    var rule = document.getElementById("filter-rule").value;
    var subject = document.getElementById("filter-subject").value.trim().toLowerCase();
    document.querySelectorAll("tr.finding").forEach(function (tr) {
      var show = (!sev || tr.getAttribute("data-severity") === sev) &&
        (!rule || tr.getAttribute("data-rule") === rule) &&
        (!subject || tr.getAttribute("data-subject").toLowerCase().indexOf(subject) >= 0);
      tr.hidden = !show;
    });
  }

  function renderDiff() {
    var tbody = document.querySelector("table.diff tbody");
    if (!tbody || !data.diff) { return; }
    data.diff.changes.forEach(function (c) {
      var tr = el("tr", { "class": c.widens ? "widens" : "" });
      tr.appendChild(el("td", {}, c.widens ? "widens" : ""));
      tr.appendChild(el("td", {}, c.category));
      tr.appendChild(el("td", {}, c.change));
      tr.appendChild(el("td", { "class": "subject" }, c.subject));
      tr.appendChild(el("td", {}, c.detail));
      tbody.appendChild(tr);
    });
    var caption = el("caption", {}, data.diff.summary);
    tbody.parentNode.insertBefore(caption, tbody.parentNode.firstChild);
  }

  // -- start --------------------------------------------------------------------------------
  document.querySelectorAll(".stage").forEach(function (div) {
    stages[div.getAttribute("data-view")] = new Stage(div);
  });
  document.querySelectorAll("button.tab").forEach(function (b) {
    b.addEventListener("click", function () { showView(b.getAttribute("data-view")); });
  });
  document.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var s = stages[current], what = b.getAttribute("data-zoom");
      if (what === "fit") { s.fit(); }
      else if (what === "clear") { clearHighlight(); }
      else { s.zoomAt(what === "in" ? 1.25 : 0.8, s.div.clientWidth / 2, s.div.clientHeight / 2); }
    });
  });
  ["filter-severity", "filter-rule", "filter-subject"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", applyFilters);
  });
  renderFindings();
  renderDiff();
  showView(data.views[0]);
  document.body.setAttribute("data-ready", "true");
})();
