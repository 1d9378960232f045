/* TimeTracker web UI: the ticking timer, the start/stop shortcut, small form helpers and the report charts.
   Everything works without this file (plain forms and links); it only makes the common actions quicker. */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function formatElapsed(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h + ":" + pad(m) + ":" + pad(s);
  }

  var baseTitle = null;

  function tick() {
    document.querySelectorAll(".tl-elapsed").forEach(function (mirror) {
      if (!mirror.dataset.offset) { mirror.dataset.offset = String(Date.parse(mirror.dataset.now) - Date.now()); }
      mirror.textContent = formatElapsed((Date.now() + Number(mirror.dataset.offset) - Date.parse(mirror.dataset.start)) / 1000);
    });
    var el = document.getElementById("elapsed");
    if (!el) {
      if (baseTitle !== null) { document.title = baseTitle; baseTitle = null; }
      return;
    }
    if (!el.dataset.offset) {
      // Measure against the server's clock so a wrong clock on the device does not skew the timer.
      el.dataset.offset = String(Date.parse(el.dataset.now) - Date.now());
    }
    var now = Date.now() + Number(el.dataset.offset);
    var text = formatElapsed((now - Date.parse(el.dataset.start)) / 1000);
    el.textContent = text;
    if (baseTitle === null || document.title.indexOf(" · ") === -1) { baseTitle = document.title.replace(/^\d+:\d\d:\d\d · /, ""); }
    document.title = text + " · " + baseTitle;
  }

  function typing(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  // "s" starts or stops the timer from anywhere (outside text fields).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "s" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var stop = document.getElementById("stop-form");
    var start = document.getElementById("start-form");
    if (stop) {
      event.preventDefault();
      stop.requestSubmit();
    } else if (start) {
      event.preventDefault();
      var project = start.querySelector("select[name=project]");
      if (project && project.value) { start.requestSubmit(); } else { (start.querySelector("input[name=notes]") || project).focus(); }
    } else {
      var link = document.querySelector(".timerbar a");
      if (link) { event.preventDefault(); link.click(); }
    }
  });

  function syncTasks(select) {
    var project = document.getElementById(select.dataset.dependsOn);
    if (!project) { return; }
    Array.prototype.forEach.call(select.options, function (option) {
      option.hidden = Boolean(option.value) && option.dataset.project !== project.value;
    });
    if (select.selectedOptions[0] && select.selectedOptions[0].hidden) { select.value = ""; }
  }

  var chartScript = null;

  function loadChartJs(callback) {
    if (window.Chart) { callback(); return; }
    if (!chartScript) {
      chartScript = document.createElement("script");
      chartScript.src = document.body.dataset.chartSrc;
      document.head.appendChild(chartScript);
    }
    chartScript.addEventListener("load", callback);
  }

  var PALETTE = ["#2563eb", "#16a34a", "#db2777", "#d97706", "#7c3aed", "#0891b2", "#64748b", "#dc2626", "#65a30d", "#c026d3"];

  // Annotations: a dashed line and a triangle over the bar of each marker's day; the text is listed under the chart
  // (and drawn on the canvas, never inserted as HTML).
  function markerPlugin(markers) {
    return {
      id: "ttMarkers",
      afterDatasetsDraw: function (chart) {
        if (!markers.length) { return; }
        var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = "#b45309";
        ctx.fillStyle = "#b45309";
        ctx.setLineDash([4, 3]);
        markers.forEach(function (marker) {
          var px = x.getPixelForValue(marker.index);
          if (isNaN(px)) { return; }
          ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
          ctx.beginPath(); ctx.moveTo(px - 5, area.top); ctx.lineTo(px + 5, area.top); ctx.lineTo(px, area.top + 8); ctx.fill();
        });
        ctx.restore();
      }
    };
  }

  function drawCharts(root) {
    var canvases = root.querySelectorAll("canvas[data-chart]");
    var dataNode = document.getElementById("chart-data");
    if (!canvases.length || !dataNode) { return; }
    var data = JSON.parse(dataNode.textContent);
    loadChartJs(function () {
      canvases.forEach(function (canvas) {
        var existing = window.Chart.getChart(canvas);
        if (existing) { existing.destroy(); }
        var config;
        if (canvas.dataset.chart === "time") {
          config = {
            type: data.kind === "line" ? "line" : "bar",
            plugins: [markerPlugin(data.markers || [])],
            data: { labels: data.time.labels, datasets: [
              { label: "Billable hours", data: data.time.billable, backgroundColor: "#2563eb", stack: "h" },
              { label: "Non-billable hours", data: data.time.nonbillable, backgroundColor: "#94a3b8", stack: "h" }
            ] },
            options: { maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "hours" } } } }
          };
        } else {
          config = {
            type: "doughnut",
            data: { labels: data.breakdown.labels, datasets: [{ data: data.breakdown.hours, backgroundColor: data.breakdown.colors || PALETTE }] },
            options: { maintainAspectRatio: false, animation: false, plugins: { legend: { position: "right" } } }
          };
        }
        new window.Chart(canvas, config);
      });
    });
  }

  // The page's Content-Security-Policy allows no inline styles or handlers: a project's colour, a budget bar's
  // width and "submit when changed" are data attributes, applied here (also to content htmx swaps in).
  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) { found.push(root); }
    return found;
  }

  function paint(root) {
    within(root, "[data-color]").forEach(function (el) { el.style.background = el.dataset.color; });
    within(root, "[data-width]").forEach(function (el) { el.style.width = el.dataset.width + "%"; });
  }

  function init(root) {
    paint(root);
    root.querySelectorAll("select[data-depends-on]").forEach(function (select) {
      var project = document.getElementById(select.dataset.dependsOn);
      if (!project || select.dataset.ready) { return; }
      select.dataset.ready = "1";
      project.addEventListener("change", function () { syncTasks(select); });
      syncTasks(select);
    });
    // A new entry's Billable follows the chosen project's, until the person ticks or unticks it.
    root.querySelectorAll("input[type=checkbox][data-billable-follows]").forEach(function (box) {
      var project = document.getElementById(box.dataset.billableFollows);
      if (!project || box.dataset.ready) { return; }
      box.dataset.ready = "1";
      box.addEventListener("change", function () { box.dataset.chosen = "1"; });
      project.addEventListener("change", function () {
        var option = project.selectedOptions[0];
        if (!box.dataset.chosen && option && option.dataset.billable) { box.checked = option.dataset.billable === "1"; }
      });
    });
    // Pickers (lists of checkboxes): a search box narrows the list; "Open to everyone" hides who may track.
    root.querySelectorAll("input[data-filter-checks]").forEach(function (input) {
      var picker = document.getElementById(input.dataset.filterChecks);
      if (!picker || input.dataset.ready) { return; }
      input.dataset.ready = "1";
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        picker.querySelectorAll("label.checkbox").forEach(function (label) {
          label.hidden = Boolean(needle) && label.textContent.toLowerCase().indexOf(needle) === -1;
        });
      });
      input.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
    });
    var isPublic = root.querySelector ? root.querySelector("input[name=is_public]") : null;
    if (isPublic && !isPublic.dataset.ready) {
      isPublic.dataset.ready = "1";
      var showPickers = function () {
        ["picker-teams", "picker-members"].forEach(function (id) {
          var picker = document.getElementById(id);
          if (picker) { picker.hidden = isPublic.checked; }
        });
      };
      isPublic.addEventListener("change", showPickers);
      showPickers();
    }
    // The timer bar's Billable toggle: follows the chosen project until pressed; the hidden field then says yes or no.
    root.querySelectorAll("button[data-billable-toggle]").forEach(function (button) {
      var field = document.getElementById(button.dataset.billableToggle);
      var project = document.getElementById(button.dataset.project);
      if (!field || !project || button.dataset.ready) { return; }
      button.dataset.ready = "1";
      button.hidden = false;
      function follow() {
        if (field.value) { return; }
        var option = project.selectedOptions[0];
        button.setAttribute("aria-pressed", option && option.dataset.billable === "1" ? "true" : "false");
      }
      button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        field.value = on ? "1" : "0";
      });
      project.addEventListener("change", follow);
      follow();
    });
    root.querySelectorAll("input[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll("input[type=checkbox][name=" + box.dataset.checkAll + "]").forEach(function (other) { other.checked = box.checked; });
      });
    });
    var toggle = document.querySelector(".menu-toggle");
    if (toggle && !toggle.dataset.ready) {
      toggle.dataset.ready = "1";
      toggle.addEventListener("click", function () {
        var nav = document.getElementById("nav");
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Typing a date in a report means a custom range.
    root.querySelectorAll(".report-form input[type=date]").forEach(function (input) {
      input.addEventListener("change", function () {
        var custom = input.form.querySelector("input[name=preset][value=custom]");
        if (custom && input.value) { custom.checked = true; }
      });
    });
    drawCharts(root);
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    setInterval(tick, 1000);
    document.body.addEventListener("htmx:load", function (event) { init(event.target); });
    document.addEventListener("change", function (event) {
      var field = event.target;
      if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.requestSubmit(); }
    });
  });
})();
