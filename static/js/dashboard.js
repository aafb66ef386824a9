// The dashboard's charts (Apache ECharts, vendored). Data comes from a JSON <script> the server renders;
// every bar, slice and province links to the list behind it.
(function () {
  const dataElement = document.getElementById("dashboard-data");
  if (!dataElement || !window.echarts) return;
  const data = JSON.parse(dataElement.textContent);
  const palette = ["#c8102e", "#e85d5d", "#f29e4c", "#f1c453", "#83b692", "#4f8a8b", "#3d5a80", "#98c1d9", "#6d597a", "#b56576", "#8d99ae"];
  const charts = [];

  function linkOnClick(chart) {
    chart.on("click", (params) => {
      const url = params.data && params.data.url;
      if (url) window.location.href = url;
    });
  }

  function render(el, option) {
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign({ color: palette, animation: false }, option));
    linkOnClick(chart);
    charts.push(chart);
    el.dataset.rendered = "true";
    return chart;
  }

  const builders = {
    bar(el, rows) {
      render(el, {
        grid: { left: 40, right: 10, top: 10, bottom: 80 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: rows.map((r) => r.name), axisLabel: { rotate: 40, interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: rows.map((r) => ({ value: r.value, url: r.url })) }],
      });
    },
    hbar(el, rows) {
      const sorted = rows.slice().reverse();
      render(el, {
        grid: { left: 10, right: 30, top: 10, bottom: 20, containLabel: true },
        tooltip: { trigger: "axis" },
        yAxis: { type: "category", data: sorted.map((r) => r.name), axisLabel: { width: 160, overflow: "truncate" } },
        xAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: sorted.map((r) => ({ value: r.value, url: r.url })) }],
      });
    },
    pie(el, rows) {
      render(el, {
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: rows.map((r) => ({ name: r.name, value: r.value, url: r.url })) }],
      });
    },
    intake(el, intake) {
      const kinds = Object.keys(intake);
      const label = { outflow: "流出", inflow: "流入" };
      const stack = (key, name, color) => ({
        name, type: "bar", stack: "all", color,
        data: kinds.map((k) => ({ value: intake[k][key], url: intake[k].urls[key] })),
      });
      render(el, {
        tooltip: { trigger: "axis" }, legend: { bottom: 0 },
        grid: { left: 40, right: 10, top: 10, bottom: 40 },
        xAxis: { type: "category", data: kinds.map((k) => label[k] || k) },
        yAxis: { type: "value", minInterval: 1 },
        series: [stack("on_time", "按时纳管", "#83b692"), stack("late", "超期纳管", "#f1c453"), stack("pending", "尚未完成", "#c8102e")],
      });
    },
    async map(el, rows) {
      // A ranked bar chart is drawn first, so the figures show even if the map cannot load.
      builders.hbar(el, rows);
      try {
        const response = await fetch(el.dataset.geo);
        if (!response.ok) return;
        echarts.registerMap("china", await response.json());
        const chart = charts.find((c) => c.getDom() === el);
        chart.clear();
        const max = Math.max(1, ...rows.map((r) => r.value));
        chart.setOption({
          tooltip: { trigger: "item", formatter: (p) => `${p.name}: ${p.value || 0}` },
          visualMap: { min: 0, max, left: 0, bottom: 0, inRange: { color: ["#fde0dd", "#c8102e"] }, calculable: true },
          series: [{ type: "map", map: "china", roam: false, data: rows.map((r) => ({ name: r.name, value: r.value, url: r.url })) }],
        });
      } catch (error) {
        // Keep the ranked chart.
      }
    },
    heatmap(el, heat) {
      render(el, {
        tooltip: { position: "top", formatter: (p) => `${heat.rows[p.data.value[1]]} · ${heat.columns[p.data.value[0]]}: ${p.data.met}/${p.data.required} (${p.data.value[2]}%)` },
        grid: { left: 10, right: 10, top: 10, bottom: 60, containLabel: true },
        xAxis: { type: "category", data: heat.codes || heat.columns, axisLabel: { rotate: 40, interval: 0 } },
        yAxis: { type: "category", data: heat.rows },
        visualMap: { min: 0, max: 100, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#c8102e", "#f1c453", "#83b692"] } },
        series: [{ type: "heatmap", data: heat.cells, label: { show: true, formatter: (p) => `${p.data.value[2]}` } }],
      });
    },
  };

  document.querySelectorAll("[data-chart]").forEach((el) => {
    const build = builders[el.dataset.chart];
    const source = data[el.dataset.source];
    if (build && source) build(el, source);
  });
  document.querySelectorAll("[data-width]").forEach((el) => { el.style.width = `${el.dataset.width}%`; });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
