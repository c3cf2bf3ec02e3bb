// Draws every chart whose Plotly figure is in a data-figure attribute, and adds
// buttons to download it as PNG or SVG. The table beside each chart holds the
// same figures, for anyone who cannot see it; they are on the page before this runs.
// plotly.js (the script's data-plotly address) is fetched and run only when a
// chart comes into view: until then the page's words and tables are all there
// is to load, and a phone that never scrolls to a chart never pays for it.
(function () {
  "use strict";
  var script = document.currentScript;
  var plotly = script && script.getAttribute("data-plotly");
  var actions = document.getElementById("chart-actions");
  var charts = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  var waiting = [];
  var requested = false;
  if (!plotly || !charts.length) { return; }

  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        observer.unobserve(entry.target);
        show(entry.target);
      });
    });
    charts.forEach(function (chart) { observer.observe(chart); });
  } else {
    charts.forEach(show);
  }

  // One chart per task: the page stays responsive to a tap while charts draw.
  function show(element) {
    var drawIt = function () { window.setTimeout(function () { draw(element, charts.indexOf(element)); }, 0); };
    if (window.Plotly) { drawIt(); return; }
    waiting.push(drawIt);
    if (requested) { return; }
    requested = true;
    var tag = document.createElement("script");
    tag.src = plotly;
    tag.addEventListener("load", function () {
      var queue = waiting;
      waiting = [];
      queue.forEach(function (drawn) { drawn(); });
    });
    document.head.appendChild(tag);
  }

  function draw(element, index) {
    var figure = JSON.parse(element.getAttribute("data-figure"));
    var separators = document.body.getAttribute("data-number-separators");
    if (separators && separators.length === 2) { figure.layout.separators = separators; }
    window.Plotly.newPlot(element, figure.data, figure.layout, {displayModeBar: false, responsive: true});
    if (!actions) { return; }
    var title = (figure.layout.title && figure.layout.title.text) || "";
    var box = actions.content.firstElementChild.cloneNode(true);
    var buttons = box.querySelectorAll("button[data-format]");
    for (var b = 0; b < buttons.length; b++) {
      var button = buttons[b];
      button.setAttribute("aria-label", button.textContent.trim() + ": " + title);
      button.addEventListener("click", download(element, button.getAttribute("data-format"), index));
    }
    element.parentNode.insertBefore(box, element.nextSibling);
  }

  function download(element, format, index) {
    return function () {
      window.Plotly.downloadImage(element, {format: format, filename: "roundtable-chart-" + (index + 1),
                                            width: element.offsetWidth || 800, height: element.offsetHeight || 400});
    };
  }
}());
