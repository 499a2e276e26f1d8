// Charts drawn from the table they illustrate (the table stays the accessible, exportable source):
// a <div data-chart-for="ID"> gets an ECharts stacked bar of <table id="ID" data-chart="stacked-bar">,
// whose header cells with data-series name the series and whose row cells with data-category name
// the bars. Loaded as a file: the CSP forbids inline script.
(function () {
  "use strict";
  var COLOURS = ["#c0392b", "#e67e22", "#2e86c1", "#7f8c8d", "#16a085", "#8e44ad"];

  function stackedBar(box, table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var seriesCols = [];
    heads.forEach(function (th, i) { if (th.hasAttribute("data-series")) { seriesCols.push([i, th.getAttribute("data-series")]); } });
    var categories = [];
    var data = seriesCols.map(function () { return []; });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var cells = tr.children;
      var label = tr.querySelector("[data-category]");
      if (!label) { return; }
      categories.push(label.getAttribute("data-category"));
      seriesCols.forEach(function (col, k) { data[k].push(parseInt(cells[col[0]].textContent, 10) || 0); });
    });
    if (!categories.length) { return; }
    box.classList.add("chart-ready");
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: categories },
      yAxis: { type: "value", minInterval: 1 },
      series: seriesCols.map(function (col, k) { return { name: col[1], type: "bar", stack: "total", data: data[k] }; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart-for]").forEach(function (box) {
      var table = document.getElementById(box.getAttribute("data-chart-for"));
      if (table && table.getAttribute("data-chart") === "stacked-bar") { stackedBar(box, table); }
    });
  });
})();
