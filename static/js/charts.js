// Draws every chart whose Plotly figure is in a data-figure attribute, and adds
// buttons to download it as PNG or SVG. The table beside each chart holds the
// same figures, for anyone who cannot see it; they are on the page before this runs.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  var actions = document.getElementById("chart-actions");
  var charts = document.querySelectorAll("[data-figure]");
  // One chart per task: the page stays responsive to a tap while the charts draw.
  var next = 0;
  (function drawNext() {
    if (next >= charts.length) { return; }
    draw(charts[next], next);
    next += 1;
    window.setTimeout(drawNext, 0);
  }());

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
