// A participant's phone follows the meeting: when a round opens or closes, the page reloads.
(function () {
  "use strict";
  var box = document.querySelector("[data-follow-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-follow-url");
  var stage = box.getAttribute("data-stage");
  var typing = false;
  // Someone writing a concern is not interrupted; choosing a stance does not count as writing.
  document.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA") { typing = true; } });

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-cache"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.stage !== stage && !typing) { window.location.reload(); }
      })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
}());
