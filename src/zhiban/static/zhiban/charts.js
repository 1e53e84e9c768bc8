/* Zhiban's charts: draws every ECharts option a page carries as JSON, in the page's colours.
 *
 * A chart is `{% include "core/_chart.html" with chart=… %}` (see that template): a box
 * `<div data-zb-chart="ID">` and the option as `<script type="application/json" id="ID">`
 * (Django's json_script, so no inline script runs — the CSP allows none). This file loads the
 * vendored ECharts once, on the first page that has a chart, draws each box, redraws it when
 * its box changes size (a phone turned, the sidebar folded), draws the charts htmx brings in
 * (console panels, refreshed parts) and disposes of those htmx takes away.
 *
 * The option is plain JSON built on the server: no functions. Colours, text and lines follow
 * Tabler's CSS variables (light or dark, from the nearest data-bs-theme) unless the option
 * names its own `color`. Nothing is fetched from outside 127.0.0.1.
 */
(function () {
  "use strict";
  if (window.zbCharts) {
    window.zbCharts.scan(document);
    return;
  }
  var PALETTE = ["primary", "green", "orange", "red", "purple", "cyan", "yellow", "pink", "teal", "indigo"];
  var loading = null;

  function script() {
    return document.querySelector("script[data-echarts]");
  }

  function echartsReady() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = script().getAttribute("data-echarts");
        tag.onload = function () { resolve(window.echarts); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  var pixel = null;

  /* A CSS colour as rgb()/rgba() that ECharts can read and compute with: Tabler's variables
     hold light-dark(…) and oklch(…), which a canvas does not take. The box resolves the
     variable (its colour scheme decides light-dark), one canvas pixel gives the sRGB value. */
  function rgb(box, value) {
    if (!value) return "";
    var probe = document.createElement("span");
    probe.style.display = "none";
    probe.style.color = value;
    if (!probe.style.color) return "";
    box.appendChild(probe);
    var computed = getComputedStyle(probe).color;
    probe.remove();
    if (!pixel) {
      var canvas = document.createElement("canvas");
      canvas.width = canvas.height = 1;
      pixel = canvas.getContext("2d", { willReadFrequently: true });
    }
    pixel.clearRect(0, 0, 1, 1);
    pixel.fillStyle = "#000";
    pixel.fillStyle = computed;
    pixel.fillRect(0, 0, 1, 1);
    var d = pixel.getImageData(0, 0, 1, 1).data;
    return d[3] === 255
      ? "rgb(" + d[0] + "," + d[1] + "," + d[2] + ")"
      : "rgba(" + d[0] + "," + d[1] + "," + d[2] + "," + (d[3] / 255).toFixed(2) + ")";
  }

  function cssVar(box, style, name, fallback) {
    var value = style.getPropertyValue("--tblr-" + name).trim();
    return rgb(box, value) || fallback;
  }

  function theme(box) {
    var style = getComputedStyle(box);
    var dark = (box.closest("[data-bs-theme]") || document.documentElement).getAttribute("data-bs-theme") === "dark";
    var text = cssVar(box, style, "body-color", dark ? "#dce1e7" : "#182433");
    var muted = cssVar(box, style, "secondary", "#6b7280");
    var line = cssVar(box, style, "border-color", dark ? "#2c3e50" : "#dce1e7");
    return {
      dark: dark,
      color: PALETTE.map(function (name) { return cssVar(box, style, name, ""); }).filter(Boolean),
      textStyle: { color: text, fontFamily: style.fontFamily },
      axisLabel: { color: muted },
      line: line
    };
  }

  function dressed(option, look) {
    var axis = function (a) {
      return Object.assign({}, a, {
        axisLabel: Object.assign({ color: look.axisLabel.color }, a.axisLabel || {}),
        axisLine: Object.assign({ lineStyle: { color: look.line } }, a.axisLine || {}),
        splitLine: Object.assign({ lineStyle: { color: look.line } }, a.splitLine || {})
      });
    };
    var each = function (value, fn) {
      if (value === undefined) return value;
      return Array.isArray(value) ? value.map(fn) : fn(value);
    };
    var out = Object.assign({ backgroundColor: "transparent" }, option);
    if (!out.color && look.color.length) out.color = look.color;
    out.textStyle = Object.assign({}, look.textStyle, option.textStyle || {});
    out.xAxis = each(option.xAxis, axis);
    out.yAxis = each(option.yAxis, axis);
    out.legend = each(option.legend, function (l) {
      return Object.assign({ textStyle: { color: look.textStyle.color } }, l);
    });
    return out;
  }

  function draw(box, echarts) {
    var data = document.getElementById(box.getAttribute("data-zb-chart"));
    if (!data || box.zbChart) return;
    var option = JSON.parse(data.textContent);
    var look = theme(box);
    var chart = echarts.init(box, look.dark ? "dark" : null, { renderer: "canvas" });
    chart.setOption(dressed(option, look));
    box.zbChart = chart;
    box.setAttribute("data-zb-drawn", "");
    if (window.ResizeObserver) {
      box.zbResize = new ResizeObserver(function () { chart.resize(); });
      box.zbResize.observe(box);
    }
  }

  function scan(root) {
    var boxes = (root || document).querySelectorAll("[data-zb-chart]:not([data-zb-drawn])");
    if (!boxes.length) return;
    echartsReady().then(function (echarts) {
      boxes.forEach(function (box) { draw(box, echarts); });
    });
  }

  function dispose(root) {
    var boxes = root.matches && root.matches("[data-zb-drawn]") ? [root] : [];
    boxes = boxes.concat(Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("[data-zb-drawn]") : []));
    boxes.forEach(function (box) {
      if (box.zbResize) box.zbResize.disconnect();
      if (box.zbChart) box.zbChart.dispose();
      box.zbChart = null;
      box.removeAttribute("data-zb-drawn");
    });
  }

  window.zbCharts = { scan: scan, dispose: dispose };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
  document.addEventListener("htmx:beforeCleanupElement", function (event) { dispose(event.target); });
})();
