(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.remove('no-js');
  root.classList.add('js');
  if (typeof window.Chart !== 'function') {
    root.classList.remove('js');
    return;
  }
  var Chart = window.Chart;
  var charts = [];

  function cssVar(name) {
    return getComputedStyle(root).getPropertyValue(name).trim();
  }

  function palette() {
    var colours = [];
    for (var index = 1; index <= 8; index++) colours.push(cssVar('--chart-' + index));
    return colours;
  }

  function withAlpha(colour, alpha) {
    var match = /^#([0-9a-f]{6})$/i.exec(colour);
    if (!match) return colour;
    var value = parseInt(match[1], 16);
    return 'rgba(' + ((value >> 16) & 255) + ',' + ((value >> 8) & 255) + ',' + (value & 255) + ',' + alpha + ')';
  }

  function groupDigits(text) {
    var parts = text.split('.');
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return parts.join('.');
  }

  function formatter(axis) {
    var format = (axis && axis.format) || 'number';
    var decimals = axis && typeof axis.decimals === 'number' ? axis.decimals : null;
    return function (value) {
      if (value === null || value === undefined || typeof value !== 'number' || !isFinite(value)) return '—';
      var places = decimals;
      if (places === null) places = format === 'money' ? 2 : format === 'percent' ? 1 : Number.isInteger(value) ? 0 : 2;
      var text = groupDigits(Math.abs(value).toFixed(places));
      var negative = value < 0 && Number(Math.abs(value).toFixed(places)) !== 0;
      if (format === 'money') return (negative ? '-$' : '$') + text;
      if (format === 'percent') return (negative ? '-' : '') + text + '%';
      return (negative ? '-' : '') + text;
    };
  }

  // Ticks drop the decimals of large values: $1,500 rather than $1,500.00.
  function tickFormatter(axis) {
    var precise = formatter(axis);
    var whole = formatter({ format: axis && axis.format, decimals: 0 });
    return function (value) {
      return Math.abs(value) >= 100 ? whole(value) : precise(value);
    };
  }

  function axisOptions(axis, formatTicks, grid) {
    var options = {
      grid: { color: grid },
      title: { display: Boolean(axis && axis.title), text: (axis && axis.title) || '' },
    };
    if (formatTicks) options.ticks = { callback: function (value) { return formatTicks(value); } };
    return options;
  }

  function configFor(spec) {
    var colours = palette();
    var grid = cssVar('--color-grid');
    var formatY = formatter(spec.y);
    var formatX = formatter(spec.x);
    var base = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: true, position: 'bottom' }, tooltip: {} },
    };
    if (spec.kind === 'scatter') {
      base.scales = { x: axisOptions(spec.x, tickFormatter(spec.x), grid), y: axisOptions(spec.y, tickFormatter(spec.y), grid) };
      base.plugins.legend.display = spec.series.length > 1;
      base.plugins.tooltip.callbacks = {
        label: function (context) {
          var point = context.raw;
          return String(point.label) + ': ' + formatX(point.x) + ', ' + formatY(point.y);
        },
      };
      return {
        type: 'scatter',
        data: {
          datasets: spec.series.map(function (series, index) {
            var colour = colours[index % colours.length];
            return { label: series.label, data: series.points, backgroundColor: withAlpha(colour, 0.75), borderColor: colour, pointRadius: 4 };
          }),
        },
        options: base,
      };
    }
    if (spec.kind === 'doughnut' || spec.kind === 'pie') {
      base.plugins.legend.position = 'right';
      base.plugins.tooltip.callbacks = {
        label: function (context) { return String(context.label) + ': ' + formatY(context.raw); },
      };
      return {
        type: spec.kind,
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (series) {
            return {
              label: series.label,
              data: series.values,
              backgroundColor: spec.labels.map(function (_, index) { return colours[index % colours.length]; }),
              borderColor: cssVar('--color-surface'),
              borderWidth: 2,
            };
          }),
        },
        options: base,
      };
    }
    var stacked = spec.kind === 'stacked-bar';
    var horizontal = spec.horizontal && spec.kind !== 'line';
    var valueAxis = axisOptions(spec.y, tickFormatter(spec.y), grid);
    var categoryAxis = axisOptions(spec.x, null, grid);
    // Every bar of a horizontal chart keeps its label, unless there are too many to read.
    categoryAxis.ticks = { autoSkip: !horizontal || spec.labels.length > 40, maxRotation: 60 };
    if (stacked) {
      valueAxis.stacked = true;
      categoryAxis.stacked = true;
    }
    valueAxis.beginAtZero = spec.kind !== 'line';
    base.indexAxis = horizontal ? 'y' : 'x';
    base.scales = horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis };
    base.plugins.legend.display = spec.series.length > 1;
    base.plugins.tooltip.callbacks = {
      label: function (context) {
        return String(context.dataset.label) + ': ' + formatY(horizontal ? context.parsed.x : context.parsed.y);
      },
    };
    if (spec.kind === 'line') base.interaction = { mode: 'index', intersect: false };
    return {
      type: spec.kind === 'line' ? 'line' : 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, index) {
          var colour = colours[index % colours.length];
          var dataset = { label: series.label, data: series.values, borderColor: colour, backgroundColor: colour };
          if (spec.kind === 'line') {
            dataset.backgroundColor = withAlpha(colour, 0.15);
            dataset.pointRadius = spec.labels.length > 40 ? 0 : 2;
            dataset.borderWidth = 2;
            dataset.spanGaps = false;
          }
          return dataset;
        }),
      },
      options: base,
    };
  }

  function applyThemeDefaults() {
    Chart.defaults.color = cssVar('--color-text-muted');
    Chart.defaults.borderColor = cssVar('--color-grid');
    Chart.defaults.font.family = cssVar('--font-sans');
  }

  function drawAll() {
    applyThemeDefaults();
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    var figures = document.querySelectorAll('figure[data-chart]');
    for (var index = 0; index < figures.length; index++) {
      var id = figures[index].getAttribute('data-chart');
      var canvas = document.getElementById(id);
      var data = document.getElementById(id + '-data');
      if (!canvas || !data) continue;
      try {
        charts.push(new Chart(canvas, configFor(JSON.parse(data.textContent))));
      } catch (error) {
        figures[index].classList.add('chart-failed');
        if (window.console) window.console.warn('chart ' + id + ' could not be drawn', error);
      }
    }
  }

  drawAll();
  if (window.matchMedia) {
    var scheme = window.matchMedia('(prefers-color-scheme: dark)');
    var redraw = function () { drawAll(); };
    if (scheme.addEventListener) scheme.addEventListener('change', redraw);
    else if (scheme.addListener) scheme.addListener(redraw);
  }
  window.addEventListener('beforeprint', function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
