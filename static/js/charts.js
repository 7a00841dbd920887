/* ParsTrack: the clinician's patient charts (docs/dashboard.md).
 * Reads the JSON that the page renders with json_script (#chart-data) and draws each
 * <canvas data-chart="..."> with Chart.js on a real time axis (chartjs-adapter-date-fns), so
 * points sit on their dates and a missing day is a gap. Each chart's JSON is generic: its
 * `datasets` name a series, a style and a colour, so a new dataset needs no change here.
 * Every chart has a table next to it, so the page works without this file. No inline script
 * anywhere: the CSP forbids it. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof window.Chart === "undefined") return;
  var data = JSON.parse(source.textContent);

  var COLOURS = {
    ink: "#1b2430", blue: "#0b5cad", red: "#b42318", green: "#1d6b3a", amber: "#8a5300",
    grey: "#6b7280", violet: "#6d28d9", teal: "#0e7490", pink: "#be185d", olive: "#4d7c0f"
  };
  var BAND = "rgba(29, 107, 58, 0.12)";
  var LABELS_MIN_WIDTH = 480;  // px of plot area under which event labels are left off
  // One date format across the page: "18 Nov 2026" in text and tooltips, "18 Nov" on the axis.
  var TICKS = { day: "d MMM", week: "d MMM", month: "MMM yyyy", quarter: "MMM yyyy", year: "yyyy" };

  // Vertical dashed lines at timeline events, each with its label in words along the line.
  // A small plugin instead of chartjs-plugin-annotation: one more npm package for a few lines.
  var eventMarkers = {
    id: "eventMarkers",
    afterDatasetsDraw: function (chart, args, options) {
      var events = (options && options.events) || [];
      var area = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
      ctx.save();
      ctx.font = "11px system-ui, sans-serif";
      var lastPx = null, stack = 0;
      events.forEach(function (event) {
        var value = x.parse(event.x);
        if (value === null || value < x.min || value > x.max) return;
        var px = x.getPixelForValue(value);
        // Events on the same day (or a few pixels apart) share the line; their labels stack
        // side by side instead of printing over each other.
        stack = lastPx !== null && px - lastPx < 13 ? stack + 1 : 0;
        lastPx = px;
        if (!stack) {
          ctx.strokeStyle = COLOURS.grey;
          ctx.lineWidth = 1;
          ctx.setLineDash([4, 3]);
          ctx.beginPath();
          ctx.moveTo(px, area.top);
          ctx.lineTo(px, area.bottom);
          ctx.stroke();
          ctx.setLineDash([]);
        }
        // On a narrow chart the labels would hide the data: the lines stay, the words are in
        // the "Events" list below.
        if (area.right - area.left < LABELS_MIN_WIDTH) return;
        // The first label sits left of its line unless that would cover the y axis.
        var right = stack || px - 14 < area.left;
        var offset = stack ? stack - (px - 14 < area.left ? 0 : 1) : 0;
        ctx.save();
        ctx.translate(right ? px + 3 + 12 * offset : px - 3, area.top + 4);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = "right";
        ctx.textBaseline = right ? "top" : "bottom";
        var text = fit(ctx, event.label, area.bottom - area.top - 8);
        var width = ctx.measureText(text).width;
        ctx.fillStyle = "rgba(255, 255, 255, 0.85)";  // readable over bars and lines
        ctx.fillRect(-width - 1, right ? 0 : -12, width + 2, 12);
        ctx.fillStyle = COLOURS.ink;
        ctx.fillText(text, 0, 0);
        ctx.restore();
      });
      ctx.restore();
    }
  };

  function fit(ctx, text, room) {
    if (ctx.measureText(text).width <= room) return text;
    while (text.length > 1 && ctx.measureText(text + "…").width > room) text = text.slice(0, -1);
    return text + "…";
  }

  var STYLES = {
    line: function (c) { return { type: "line", borderColor: c, backgroundColor: c, pointRadius: 2.5, borderWidth: 1.5 }; },
    dotted: function (c) { return { type: "line", borderColor: c, backgroundColor: c, pointRadius: 2, borderWidth: 1, borderDash: [2, 2] }; },
    mean: function (c) { return { type: "line", borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 3 }; },
    score: function (c) { return { type: "line", borderColor: c, backgroundColor: c, pointRadius: 4, borderWidth: 2 }; },
    guide: function (c) { return { type: "line", borderColor: c, borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0, pointHitRadius: 0, fill: false, guide: true }; },
    band: function (c) { return { type: "line", borderColor: c, borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: "-1", backgroundColor: BAND, guide: true }; },
    step: function (c) { return { type: "line", borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 2, stepped: true }; },
    bar: function (c) { return { type: "bar", backgroundColor: c, borderColor: c } ; }
  };

  function dataset(d, spec) {
    var values = d[spec.key];
    if (!Array.isArray(values)) values = d.labels.map(function () { return values; });
    var colour = COLOURS[spec.colour] || COLOURS.ink;
    var style = (STYLES[spec.style] || STYLES.line)(colour);
    return Object.assign(style, { label: spec.label, data: values, hidden: !!spec.hidden });
  }

  function titler(d) {
    return function (items) {
      if (!items.length) return "";
      var text = window.dateFns.format(items[0].parsed.x, "d MMM yyyy");
      return d.unit === "week" ? "Week of " + text : text;
    };
  }

  // Values as the tables print them: one decimal at most (a 7-day mean of 2.29 reads 2.3).
  function label(item) {
    var value = item.parsed.y;
    return item.dataset.label + ": " + (value === null ? "—" : Math.round(value * 10) / 10);
  }

  function config(d) {
    var sets = d.datasets.map(function (spec) { return dataset(d, spec); });
    var bars = sets.some(function (s) { return s.type === "bar"; });
    return {
      type: bars ? "bar" : "line",
      data: { labels: d.labels, datasets: sets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        spanGaps: false,
        scales: {
          x: {
            type: "time", min: d.start, max: d.end, offset: bars,
            time: { minUnit: "day", displayFormats: TICKS },
            ticks: { autoSkip: true, maxTicksLimit: 8, maxRotation: 0 }
          },
          y: { min: d.y.min, max: d.y.max, title: { display: true, text: d.y.title } }
        },
        plugins: {
          // The legend names what is drawn: a hidden activity is not listed until shown.
          legend: {
            position: "bottom",
            labels: { boxWidth: 14, filter: function (item) { return !item.hidden; } }
          },
          tooltip: {
            filter: function (item) { return !item.dataset.guide; },
            callbacks: { title: titler(d), label: label }
          },
          eventMarkers: { events: d.events || [] }
        }
      },
      plugins: [eventMarkers]
    };
  }

  // "Show all activities": the datasets drawn hidden at first, one tap away.
  // The button says what a tap will do ("Show all 9 activities" / "Show the 3 with the most
  // pain"), so it carries no aria-pressed as well.
  function toggle(button, chart, d) {
    button.hidden = false;
    var more = button.getAttribute("data-more"), fewer = button.getAttribute("data-fewer");
    var showing = false;
    button.addEventListener("click", function () {
      showing = !showing;
      d.datasets.forEach(function (spec, i) {
        if (spec.hidden) chart.setDatasetVisibility(i, showing);
      });
      chart.update();
      button.textContent = showing ? fewer : more;
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var kind = canvas.getAttribute("data-chart");
    var d = kind === "score" ? data.scores[Number(canvas.getAttribute("data-index"))] : data[kind];
    if (!d || !d.datasets) return;
    var chart = new window.Chart(canvas, config(d));
    var button = canvas.id && document.querySelector("button[data-toggles='" + canvas.id + "']");
    if (button) toggle(button, chart, d);
  });
})();
