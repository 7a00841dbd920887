/* ParsTrack: the clinician's patient charts (docs/dashboard.md).
 * Reads the JSON that the page renders with json_script (#chart-data) and draws each
 * <canvas data-chart="..."> with Chart.js. Every chart has a table next to it, so the page
 * works without this file. No inline script anywhere: the CSP forbids it. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof window.Chart === "undefined") return;
  var data = JSON.parse(source.textContent);

  var INK = "#1b2430", BLUE = "#0b5cad", RED = "#b42318", GREEN = "#1d6b3a", AMBER = "#8a5300";
  var GREY = "#6b7280", BAND = "rgba(29, 107, 58, 0.12)";
  var PALETTE = [BLUE, RED, GREEN, AMBER, "#6d28d9", "#0e7490", "#be185d", INK, "#4d7c0f"];

  // Vertical dashed lines at timeline events (brace, programme, stage, imaging, notes).
  // A tiny plugin instead of chartjs-plugin-annotation: one more npm package for a few lines.
  var eventMarkers = {
    id: "eventMarkers",
    afterDatasetsDraw: function (chart, args, options) {
      var events = (options && options.events) || [];
      if (!events.length) return;
      var labels = chart.data.labels, area = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = GREY;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      events.forEach(function (event) {
        var index = labels.indexOf(event.x);
        if (index < 0) return;
        var px = x.getPixelForValue(index);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
      });
      ctx.restore();
    }
  };

  function flat(labels, value) {
    return labels.map(function () { return value; });
  }

  function guide(label, labels, value, colour, extra) {
    var dataset = {
      type: "line", label: label, data: flat(labels, value), borderColor: colour,
      borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0, pointHitRadius: 0, fill: false
    };
    return Object.assign(dataset, extra || {});
  }

  function options(yTitle, yMin, yMax, events) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      spanGaps: false,
      scales: {
        x: { ticks: { autoSkip: true, maxTicksLimit: 8, maxRotation: 0 } },
        y: { min: yMin, max: yMax, title: { display: true, text: yTitle } }
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 14 } },
        eventMarkers: { events: events || [] }
      }
    };
  }

  var builders = {
    pain: function (d) {
      var sets = [
        { label: "Pain now", data: d.now, borderColor: BLUE, backgroundColor: BLUE,
          pointRadius: 2, borderWidth: 1.5 },
        { label: "Worst pain", data: d.worst, borderColor: RED, backgroundColor: RED,
          pointRadius: 2, borderWidth: 1, borderDash: [2, 2] },
        { label: "7-day mean", data: d.mean7, borderColor: INK, pointRadius: 0, borderWidth: 3 }
      ];
      if (d.baseline !== null) {
        sets.push(guide("Important worsening", d.labels, d.worse, AMBER));
        sets.push(guide("No important change (band)", d.labels, d.improve, GREEN,
          { fill: "-1", backgroundColor: BAND, borderDash: [], borderWidth: 0 }));
        sets.push(guide("Baseline", d.labels, d.baseline, GREY));
        sets.push(guide("Important improvement", d.labels, d.improve, GREEN));
      }
      return { type: "line", data: { labels: d.labels, datasets: sets },
        options: options("Pain (0-10)", 0, 10, d.events) };
    },
    activities: function (d) {
      var sets = d.series.map(function (s, i) {
        var colour = PALETTE[i % PALETTE.length];
        return { label: s.label, data: s.data, borderColor: colour, backgroundColor: colour,
          pointRadius: 3, borderWidth: 1.5, spanGaps: true };
      });
      return { type: "line", data: { labels: d.labels, datasets: sets },
        options: options("Pain during activity (0-10)", 0, 10, d.events) };
    },
    brace: function (d) {
      var sets = [
        { type: "bar", label: d.measured ? "Hours reported" : "Hours worn", data: d.hours,
          backgroundColor: BLUE },
        { type: "line", label: "Target", data: d.target, borderColor: RED, pointRadius: 0,
          borderWidth: 2, stepped: true }
      ];
      // Hours a brace sensor measured, beside the reported (issue 17): only when there are any.
      if (d.measured) {
        sets.splice(1, 0, { type: "bar", label: "Hours measured (sensor)", data: d.measured,
          backgroundColor: AMBER });
      }
      return { type: "bar", data: { labels: d.labels, datasets: sets },
        options: options("Hours a day", 0, 24, d.events) };
    },
    exercise: function (d) {
      var sets = [
        { type: "bar", label: "Exercises done (%)", data: d.exercise, backgroundColor: BLUE },
        { type: "bar", label: "Brace worn (%)", data: d.brace, backgroundColor: GREEN },
        guide("Fair adherence", d.labels, d.fair, RED)
      ];
      return { type: "bar", data: { labels: d.labels, datasets: sets },
        options: options("% of prescribed", 0, 100, d.events) };
    },
    score: function (d) {
      var sets = [
        { label: d.name, data: d.scores, borderColor: BLUE, backgroundColor: BLUE,
          pointRadius: 4, borderWidth: 2 }
      ];
      if (d.important !== null) {
        sets.push(guide("Important improvement", d.labels, d.important, GREEN));
        sets.push(guide("Baseline", d.labels, d.baseline, GREY));
        sets.push(guide("Important worsening", d.labels, d.worse, AMBER));
      }
      return { type: "line", data: { labels: d.labels, datasets: sets },
        options: options(d.name, d.min, d.max, []) };
    }
  };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var kind = canvas.getAttribute("data-chart");
    var d = kind === "score" ? data.scores[Number(canvas.getAttribute("data-index"))] : data[kind];
    if (!d || !builders[kind]) return;
    var config = builders[kind](d);
    config.plugins = [eventMarkers];
    new window.Chart(canvas, config);
  });
})();
