// The projector screen's "Full screen" button: the Fullscreen API on the whole page.
// The button stays hidden where the browser cannot go full screen (or runs no script).
(function () {
  "use strict";
  var button = document.querySelector("[data-fullscreen]");
  var page = document.documentElement;
  if (!button || !document.fullscreenEnabled || !page.requestFullscreen) { return; }

  function pressed() {
    button.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
  }

  button.addEventListener("click", function () {
    var asked = document.fullscreenElement ? document.exitFullscreen() : page.requestFullscreen();
    // A refusal (the browser's own policy) leaves the page as it was: nothing to tell.
    if (asked && asked.catch) { asked.catch(function () {}); }
  });
  document.addEventListener("fullscreenchange", pressed);
  pressed();
  button.hidden = false;
}());
