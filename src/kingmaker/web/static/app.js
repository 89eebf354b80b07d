// kingmaker pages: the probability chart, the "what moved it" panel, the stance matrix's
// cells, and the review desk's draft. Data comes from the JSON API, or, in a snapshot saved
// by `kingmaker snapshot`, from the page itself. Every text is inserted with textContent.
"use strict";

(function () {
  const chart = document.getElementById("chart");
  const movers = document.getElementById("movers");
  const embedded = document.getElementById("snapshot-data");
  const snapshot = embedded ? JSON.parse(embedded.textContent) : null;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function pct(p) {
    return (100 * p).toFixed(1) + "%";
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error ? data.error.message : response.statusText);
    return data;
  }

  // plotly.js is large: it is fetched after the page has rendered, while the data loads.
  function loadPlotly() {
    return new Promise(function (resolve, reject) {
      if (typeof Plotly !== "undefined") return resolve();
      const script = document.createElement("script");
      script.src = chart.dataset.plotly || "/vendor/plotly.min.js";
      script.onload = function () { performance.mark("kingmaker:plotly-ready"); resolve(); };
      script.onerror = function () { reject(new Error("the chart library did not load")); };
      document.head.append(script);
    });
  }

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  // The marks' labels, placed on rows so that no two overlap: each goes on the first row
  // whose last label ends left of where it starts (widths estimated from the text). On a
  // narrow chart the labels are the marks' numbers, listed in full below the chart.
  function placeLabels(marks, first, span, width) {
    const narrow = width < 600;
    const plotWidth = Math.max(100, width - 70);
    const rowsEnd = [];
    const rows = narrow ? 3 : 5;
    return marks.map(function (m, i) {
      const text = narrow ? String(i + 1) : m.label;
      const x = 50 + plotWidth * (Date.parse(m.date) - first) / span;
      const w = 6 * text.length + 8;
      const late = x + w > width - 10;  // near the right edge: hang left of the line
      const start = late ? x - w : x;
      let row = rowsEnd.findIndex(function (end) { return end < start; });
      if (row < 0 && rowsEnd.length < rows) row = rowsEnd.push(-Infinity) - 1;
      if (row < 0) return null;  // no room: the list below the chart still has it
      rowsEnd[row] = start + w;
      return { text: text, xanchor: late ? "right" : "left", yshift: -17 * row };
    });
  }

  function describe(data) {
    // the chart's text alternative: where each line starts, peaks and ends
    const days = data.days;
    const parts = data.series.map(function (s) {
      const ys = s.probability;
      const top = Math.max.apply(null, ys);
      const at = days[ys.indexOf(top)];
      return s.name + " " + pct(ys[0]) + " to " + pct(ys[ys.length - 1]) +
        (top > ys[ys.length - 1] + 0.02 ? " (highest " + pct(top) + " on " + at + ")" : "");
    });
    return "Probabilities from " + days[0] + " to " + days[days.length - 1] + ", every " +
      Math.max(1, Math.round((Date.parse(days[1] || days[0]) - Date.parse(days[0])) / 864e5)) +
      " days: " + parts.join("; ") + ".";
  }

  async function drawChart() {
    const race = chart.dataset.race;
    const status = document.getElementById("chart-status");
    let data;
    try {
      const url = "/api/races/" + encodeURIComponent(race) + "/timeline?until=" + chart.dataset.until;
      const timeline = snapshot ? Promise.resolve(snapshot.timeline) : getJSON(url);
      [data] = await Promise.all([timeline, loadPlotly()]);
    } catch (err) {
      status.textContent = "The chart could not be loaded: " + err.message;
      return;
    }
    document.getElementById("chart-summary").textContent = describe(data);
    const list = document.getElementById("chart-marks");
    const marks = data.marks.slice(0, 8);
    list.replaceChildren.apply(list, marks.map(function (m) { return el("li", m.date + ": " + m.label); }));
    list.hidden = marks.length === 0;

    const ink = cssVar("--ink") || "#1b1f24";
    const muted = cssVar("--muted") || "#5b6470";
    const line = cssVar("--line") || "#d8dde3";
    const traces = data.series.map(function (s) {
      return {
        x: data.days, y: s.probability, name: s.name, mode: "lines",
        customdata: data.days.map(function () { return s.id; }),
        hovertemplate: "%{x}: " + s.name.replace(/[<>&]/g, "") + " %{y:.1%}<extra></extra>",
      };
    });
    const asOf = chart.dataset.asOf;
    // the as-of day (dark) and the race's turning points: appointments, vacancy, withdrawals
    const shapes = [{ type: "line", x0: asOf, x1: asOf, y0: 0, y1: 1, yref: "paper",
      line: { dash: "dot", width: 1.5, color: ink } }];
    const annotations = [];
    const first = Date.parse(data.days[0]);
    const span = Date.parse(data.days[data.days.length - 1]) - first || 1;
    const width = chart.clientWidth || 800;
    const placed = placeLabels(marks, first, span, width);
    marks.forEach(function (m, i) {
      shapes.push({ type: "line", x0: m.date, x1: m.date, y0: 0, y1: 1, yref: "paper",
        line: { dash: "dot", width: 1, color: muted } });
      const p = placed[i];
      if (p) annotations.push({ x: m.date, y: 1, yref: "paper", yanchor: "top", yshift: p.yshift,
        text: p.text, showarrow: false, xanchor: p.xanchor, font: { size: 10, color: muted } });
    });
    const narrow = width < 600;
    const layout = {
      margin: { l: 45, r: 12, t: 10, b: 40 }, height: narrow ? 340 : 380,
      hovermode: "x",  // a click anywhere in a day's column picks that day
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: ink },
      xaxis: { gridcolor: line, nticks: narrow ? 4 : 8 },
      yaxis: { tickformat: ".0%", range: [0, 1], gridcolor: line },
      legend: { orientation: "h", y: -0.15 },
      shapes: shapes, annotations: annotations,
    };
    status.remove();
    await Plotly.newPlot(chart, traces, layout,
      { displaylogo: false, responsive: true, displayModeBar: !narrow });
    performance.mark("kingmaker:chart-drawn");  // benchmarks/web.py reads these marks
    chart.dataset.rendered = "true";
    if (snapshot) return;  // a saved page has no server to replay a day on
    chart.on("plotly_click", function (ev) {
      if (!ev.points.length) return;
      const day = String(ev.points[0].x).slice(0, 10);
      window.location.search = "?as_of=" + encodeURIComponent(day);
    });
  }

  // A source as a link named by its host (the full address on hover), or as plain text
  // when it is not an http(s) URL.
  function linkTo(link) {
    let host;
    try {
      host = new URL(link.href).host.replace(/^www\./, "");
    } catch (e) {
      host = null;
    }
    if (!link.href || !host) return el("span", link.text);
    const a = el("a", host);
    a.href = link.href;
    a.title = link.href;
    a.rel = "noopener noreferrer nofollow";
    a.target = "_blank";
    return a;
  }

  async function showMovers(button) {
    const table = document.getElementById("forecast");
    const race = table.dataset.race;
    const outcome = button.dataset.outcome;
    const list = document.getElementById("movers-list");
    const title = document.getElementById("movers-title");
    movers.hidden = false;
    list.replaceChildren(el("li", "Loading…"));
    let data;
    try {
      data = snapshot ? snapshot.movers[outcome] :
        await getJSON("/api/races/" + encodeURIComponent(race) + "/forecast/" +
          encodeURIComponent(outcome) + "/movers?as_of=" + table.dataset.asOf);
    } catch (err) {
      list.replaceChildren(el("li", "Could not load: " + err.message, "error"));
      return;
    }
    title.textContent = "What moved " + data.outcome.name + " (" + pct(data.outcome.probability) + ")";
    if (!data.movers.length) {
      list.replaceChildren(el("li", "No single statement moves this probability."));
      return;
    }
    list.replaceChildren.apply(list, data.movers.map(function (m) {
      const li = el("li", null, "mover");
      const sign = m.delta > 0 ? "+" : "";
      li.append(el("strong", sign + (100 * m.delta).toFixed(1) + " pts", m.delta > 0 ? "up" : "down"));
      li.append(" ", el("span", m.summary), " ", el("time", m.first === m.last ? m.first : m.first + " to " + m.last));
      if (m.quote) li.append(el("blockquote", m.quote));
      const src = el("div", null, "source");
      const shown = m.links.slice(0, 3);
      shown.forEach(function (link, i) {
        if (i) src.append(" · ");
        src.append(linkTo(link));
      });
      if (m.links.length > shown.length) {
        const more = el("details", null, "more");
        more.append(el("summary", "+" + (m.links.length - shown.length) + " more reports"));
        m.links.slice(shown.length).forEach(function (link) {
          const line = el("div");
          line.append(linkTo(link));
          more.append(line);
        });
        src.append(more);
      }
      li.append(src);
      return li;
    }));
  }

  // A stance cell, tapped, clicked or chosen with Enter or Space (it is a button): its
  // latest report in the panel below the matrix; the same cell again closes it.
  function showCell(button, panel) {
    const open = button.getAttribute("aria-expanded") === "true";
    document.querySelectorAll("#matrix .cell-btn[aria-expanded=true]").forEach(function (b) {
      b.setAttribute("aria-expanded", "false");
    });
    if (open) {
      panel.hidden = true;
      return;
    }
    button.setAttribute("aria-expanded", "true");
    const d = button.dataset;
    const reports = Number(d.reports);
    panel.replaceChildren(el("strong", d.label));
    panel.append(" ", el("span", "latest report " + d.date + " (" + reports + " report" +
      (reports === 1 ? "" : "s") + ")", "small"));
    if (d.quote) panel.append(el("blockquote", d.quote));
    const src = el("div", null, "source");
    src.append(linkTo({ text: d.source, href: d.link || null }));
    if (d.memberPage) {
      const all = el("a", "all of this member's evidence");
      all.href = d.memberPage;
      src.append(" · ", all);
    }
    panel.append(src);
    panel.hidden = false;
  }

  // The review desk keeps what was pasted (in this tab only) until an ingest succeeds, so
  // that going back from a refusal, or leaving the page, does not lose it.
  function keepDraft(form) {
    const key = "kingmaker:draft:" + location.pathname;
    const fields = ["text", "date", "title", "url"].map(function (n) { return form.elements[n]; });
    let saved = {};
    try { saved = JSON.parse(sessionStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    fields.forEach(function (f) {
      if (f && !f.value && saved[f.name]) f.value = saved[f.name];
    });
    function save() {
      const data = {};
      fields.forEach(function (f) { if (f && f.value) data[f.name] = f.value; });
      try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage off */ }
    }
    form.addEventListener("input", save);
    form.addEventListener("submit", save);
  }

  if (chart) drawChart();
  if (movers) {
    document.querySelectorAll("button.prob").forEach(function (b) {
      b.addEventListener("click", function () { showMovers(b); });
    });
  }
  const panel = document.getElementById("cell-detail");
  if (panel) {
    document.querySelectorAll("#matrix .cell-btn").forEach(function (b) {
      b.setAttribute("aria-expanded", "false");
      b.addEventListener("click", function () { showCell(b, panel); });
    });
  }
  const ingest = document.getElementById("ingest");
  if (ingest) keepDraft(ingest);
  const done = document.querySelector("#notice[data-ingested]");
  if (done) {  // an ingest went through: its draft is done with
    const key = "kingmaker:draft:/races/" + done.dataset.ingested + "/review";
    try { sessionStorage.removeItem(key); } catch (e) { /* storage off */ }
  }
})();
