// Draws every chart whose Plotly figure is in a data-figure attribute. The
// table beside each chart holds the same figures, for anyone who cannot see it.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  var charts = document.querySelectorAll("[data-figure]");
  for (var i = 0; i < charts.length; i++) {
    var figure = JSON.parse(charts[i].getAttribute("data-figure"));
    window.Plotly.newPlot(charts[i], figure.data, figure.layout, {displayModeBar: false, responsive: true});
  }
}());
