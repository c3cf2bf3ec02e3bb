// Keeps the projector screen in step with the votes: polls twice a second with the
// round's version as ETag; an unchanged round costs a bare 304.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.fetch) { return; }
  var url = live.getAttribute("data-live-url");
  var version = live.getAttribute("data-version");
  var wasOpen = !!live.querySelector(".screen-proposal");

  function poll() {
    fetch(url, {headers: {"If-None-Match": '"' + version + '"'}, credentials: "same-origin", cache: "no-cache"})
      .then(function (response) {
        if (response.status !== 200) { return null; }
        var etag = response.headers.get("ETag");
        if (etag) { version = etag.replace(/^W\//, "").replace(/"/g, ""); }
        return response.json();
      })
      .then(function (data) {
        if (!data) { return; }
        var html = data.html;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var isOpen = !!holder.querySelector(".screen-proposal");
        if (isOpen !== wasOpen) { window.location.reload(); return; }
        // Update in place, so the polite live region announces only the new count.
        var count = live.querySelector(".screen-count");
        var fresh = holder.querySelector(".screen-count");
        if (count && fresh && count.textContent !== fresh.textContent) { count.textContent = fresh.textContent; }
        var parts = live.children;
        var newParts = holder.children;
        if (parts.length !== newParts.length) { live.innerHTML = html; return; }
        for (var i = 0; i < newParts.length && i < parts.length; i++) {
          if (!parts[i].classList.contains("screen-count") && parts[i].innerHTML !== newParts[i].innerHTML) {
            parts[i].innerHTML = newParts[i].innerHTML;
          }
        }
      })
      .catch(function () { /* the next poll tries again: meeting-room Wi-Fi drops */ })
      .then(function () { window.setTimeout(poll, 500); });
  }
  window.setTimeout(poll, 500);
}());
