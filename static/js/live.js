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
        // The count is the polite live region: it stays the same element and its text changes
        // only when the count does, so a screen reader hears each new count once and nothing else.
        var count = live.querySelector(".screen-count");
        var fresh = holder.querySelector(".screen-count");
        if (!count || !fresh || count.parentNode !== live || fresh.parentNode !== holder) {
          live.innerHTML = html;
          return;
        }
        if (count.textContent !== fresh.textContent) { count.textContent = fresh.textContent; }
        var parts = Array.prototype.slice.call(live.children);
        var newParts = Array.prototype.slice.call(holder.children);
        if (parts.length === newParts.length) {
          for (var i = 0; i < newParts.length; i++) {
            if (parts[i] !== count && parts[i].innerHTML !== newParts[i].innerHTML) {
              parts[i].innerHTML = newParts[i].innerHTML;
            }
          }
          return;
        }
        // A part appeared or went: rebuild around the count, never replacing it.
        for (var j = 0; j < parts.length; j++) {
          if (parts[j] !== count) { live.removeChild(parts[j]); }
        }
        var beforeCount = true;
        for (var k = 0; k < newParts.length; k++) {
          if (newParts[k] === fresh) { beforeCount = false; continue; }
          if (beforeCount) { live.insertBefore(newParts[k], count); } else { live.appendChild(newParts[k]); }
        }
      })
      .catch(function () { /* the next poll tries again: meeting-room Wi-Fi drops */ })
      .then(function () { window.setTimeout(poll, 500); });
  }
  window.setTimeout(poll, 500);
}());
