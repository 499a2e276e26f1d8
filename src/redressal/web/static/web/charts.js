// Charts drawn from the table they illustrate (the table stays the accessible, exportable source):
// a <div data-chart-for="ID"> gets an ECharts chart of <table id="ID" data-chart="KIND">, KIND one of
// stacked-bar, bar, line (header cells with data-series name the series, row cells with data-category
// name the categories) or heatmap (rows with data-x/data-y indexes into the table's data-xs/data-ys).
// A row with data-href is a drill-down: clicking its bar, point or cell opens that link.
// Loaded as a file: the CSP forbids inline script.
(function () {
  "use strict";
  var COLOURS = ["#c0392b", "#e67e22", "#2e86c1", "#7f8c8d", "#16a085", "#8e44ad"];

  function number(text) {
    var v = parseFloat(text);
    return isNaN(v) ? null : v;
  }

  function fromTable(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var seriesCols = [];
    heads.forEach(function (th, i) { if (th.hasAttribute("data-series")) { seriesCols.push([i, th.getAttribute("data-series")]); } });
    var categories = [];
    var links = [];
    var data = seriesCols.map(function () { return []; });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var cells = tr.children;
      var label = tr.querySelector("[data-category]");
      if (!label) { return; }
      categories.push(label.getAttribute("data-category"));
      links.push(tr.getAttribute("data-href"));
      seriesCols.forEach(function (col, k) { data[k].push(number(cells[col[0]].textContent)); });
    });
    return { seriesCols: seriesCols, categories: categories, links: links, data: data };
  }

  function drill(chart, links) {
    chart.on("click", function (params) {
      var href = links[params.dataIndex];
      if (href) { window.location.href = href; }
    });
  }

  function axisChart(box, table, kind) {
    var t = fromTable(table);
    if (!t.categories.length) { return; }
    box.classList.add("chart-ready");
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    var line = kind === "line";
    // A line chart with a count and rates: the counts on the left axis, the rest on the right.
    var twoAxes = line && t.seriesCols.length > 1;
    chart.setOption({
      color: COLOURS,
      // richText: the tooltip drawn in the SVG; the HTML one is markup with style attributes, which the CSP refuses.
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: line ? "line" : "shadow" } },
      legend: t.seriesCols.length > 1 ? { top: 0 } : undefined,
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: t.categories, axisLabel: { interval: 0, rotate: t.categories.length > 6 ? 30 : 0 } },
      yAxis: twoAxes ? [{ type: "value", minInterval: 1 }, { type: "value" }] : { type: "value", minInterval: 1 },
      series: t.seriesCols.map(function (col, k) {
        return {
          name: col[1],
          type: line ? "line" : "bar",
          stack: kind === "stacked-bar" ? "total" : undefined,
          yAxisIndex: twoAxes && k > 0 ? 1 : 0,
          connectNulls: true,
          data: t.data[k],
          cursor: "pointer"
        };
      })
    });
    drill(chart, t.links);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function heatmap(box, table) {
    var xs = (table.getAttribute("data-xs") || "").split("|");
    var ys = (table.getAttribute("data-ys") || "").split("|");
    var links = [];
    var data = [];
    var max = 1;
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var count = number(tr.lastElementChild.textContent) || 0;
      max = Math.max(max, count);
      data.push([parseInt(tr.getAttribute("data-x"), 10), parseInt(tr.getAttribute("data-y"), 10), count]);
      links.push(tr.getAttribute("data-href"));
    });
    if (!data.length) { return; }
    box.classList.add("chart-ready");
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { position: "top", renderMode: "richText" },
      grid: { left: 8, right: 16, bottom: 48, top: 8, containLabel: true },
      xAxis: { type: "category", data: xs, splitArea: { show: true } },
      yAxis: { type: "category", data: ys, splitArea: { show: true } },
      visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#fdf2e9", "#e67e22", "#c0392b"] } },
      series: [{ name: table.getAttribute("data-series") || "", type: "heatmap", data: data, cursor: "pointer",
                 label: { show: xs.length <= 16 } }]
    });
    drill(chart, links);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart-for]").forEach(function (box) {
      var table = document.getElementById(box.getAttribute("data-chart-for"));
      if (!table) { return; }
      var kind = table.getAttribute("data-chart");
      if (kind === "heatmap") { heatmap(box, table); } else if (kind) { axisChart(box, table, kind); }
    });
  });
})();
