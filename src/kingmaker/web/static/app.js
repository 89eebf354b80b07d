// kingmaker race and article pages: the probability chart and the "what moved it" panel.
// Data comes from the JSON API; every text is inserted with textContent, never as HTML.
"use strict";

(function () {
  const chart = document.getElementById("chart");
  const movers = document.getElementById("movers");

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

  // plotly.js (served by this app from the plotly package) is large: it is fetched after
  // the page has rendered, while the chart's data loads.
  function loadPlotly() {
    return new Promise(function (resolve, reject) {
      if (typeof Plotly !== "undefined") return resolve();
      const script = document.createElement("script");
      script.src = "/vendor/plotly.min.js";
      script.onload = function () { performance.mark("kingmaker:plotly-ready"); resolve(); };
      script.onerror = function () { reject(new Error("the chart library did not load")); };
      document.head.append(script);
    });
  }

  async function drawChart() {
    const race = chart.dataset.race;
    const status = document.getElementById("chart-status");
    let data;
    try {
      const url = "/api/races/" + encodeURIComponent(race) + "/timeline?until=" + chart.dataset.until;
      [data] = await Promise.all([getJSON(url), loadPlotly()]);
    } catch (err) {
      status.textContent = "The chart could not be loaded: " + err.message;
      return;
    }
    const traces = data.series.map(function (s) {
      return {
        x: data.days, y: s.probability, name: s.name, mode: "lines",
        customdata: data.days.map(function () { return s.id; }),
        hovertemplate: "%{x}: " + s.name.replace(/[<>&]/g, "") + " %{y:.1%}<extra></extra>",
      };
    });
    const asOf = chart.dataset.asOf;
    // the as-of day (dark) and the race's turning points: appointments, vacancy, withdrawals
    const marks = data.marks.slice(0, 8);
    const shapes = [{ type: "line", x0: asOf, x1: asOf, y0: 0, y1: 1, yref: "paper",
      line: { dash: "dot", width: 1.5, color: "#222" } }];
    const annotations = [];
    // labels in the last fifth of the chart hang to the left of their line, so that
    // they stay inside it and clear of each other
    const first = Date.parse(data.days[0]);
    const span = Date.parse(data.days[data.days.length - 1]) - first || 1;
    marks.forEach(function (m, i) {
      const late = (Date.parse(m.date) - first) / span > 0.8;
      shapes.push({ type: "line", x0: m.date, x1: m.date, y0: 0, y1: 1, yref: "paper",
        line: { dash: "dot", width: 1, color: "#aaa" } });
      annotations.push({ x: m.date, y: 1 - 0.07 * (i % 4), yref: "paper", text: m.label,
        showarrow: false, xanchor: late ? "right" : "left", font: { size: 10, color: "#666" } });
    });
    const layout = {
      margin: { l: 50, r: 20, t: 10, b: 40 }, height: 380,
      hovermode: "x",  // a click anywhere in a day's column picks that day
      yaxis: { tickformat: ".0%", range: [0, 1] },
      legend: { orientation: "h", y: -0.15 },
      shapes: shapes, annotations: annotations,
    };
    status.remove();
    await Plotly.newPlot(chart, traces, layout, { displaylogo: false, responsive: true });
    performance.mark("kingmaker:chart-drawn");  // benchmarks/web.py reads these marks
    chart.dataset.rendered = "true";
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
      data = await getJSON("/api/races/" + encodeURIComponent(race) + "/forecast/" +
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
      li.append(el("strong", sign + (100 * m.delta).toFixed(1) + " points", m.delta > 0 ? "up" : "down"));
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

  if (chart) drawChart();
  if (movers) {
    document.querySelectorAll("button.prob").forEach(function (b) {
      b.addEventListener("click", function () { showMovers(b); });
    });
  }
})();
