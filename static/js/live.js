// Keeps the projector screen in step with the room: asks with the screen's version as ETag
// and wait=1, so the server answers as soon as something changes (or a bare 304 after a
// while), then asks again; swaps in what changed, never reloading the page: a reload would
// drop full screen. The round's close shows its result, a new round its proposal, in place.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.fetch) { return; }
  var url = live.getAttribute("data-live-url");
  url += (url.indexOf("?") < 0 ? "?" : "&") + "wait=1";
  var version = live.getAttribute("data-version");

  // Two elements with the same tag and attributes: only their content may differ.
  function sameShell(a, b) {
    if (a.tagName !== b.tagName || a.attributes.length !== b.attributes.length) { return false; }
    for (var i = 0; i < a.attributes.length; i++) {
      if (b.getAttribute(a.attributes[i].name) !== a.attributes[i].value) { return false; }
    }
    return true;
  }

  // The controls that only a round in progress has (the close button) follow the round.
  function follow(open) {
    var controls = document.querySelectorAll("[data-while-open]");
    for (var i = 0; i < controls.length; i++) { controls[i].hidden = !open; }
  }

  function show(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
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
    var alike = parts.length === newParts.length;
    for (var i = 0; alike && i < parts.length; i++) {
      alike = (parts[i] === count) === (newParts[i] === fresh) && sameShell(parts[i], newParts[i]);
    }
    if (alike) {
      for (var j = 0; j < newParts.length; j++) {
        if (parts[j] !== count && parts[j].innerHTML !== newParts[j].innerHTML) {
          parts[j].innerHTML = newParts[j].innerHTML;
        }
      }
      return;
    }
    // A part appeared, went or changed its kind: rebuild around the count, never replacing it.
    for (var k = 0; k < parts.length; k++) {
      if (parts[k] !== count) { live.removeChild(parts[k]); }
    }
    var beforeCount = true;
    for (var n = 0; n < newParts.length; n++) {
      if (newParts[n] === fresh) { beforeCount = false; continue; }
      if (beforeCount) { live.insertBefore(newParts[n], count); } else { live.appendChild(newParts[n]); }
    }
  }

  function poll() {
    var asked = Date.now();
    var pause = 500;  // after an error, or a server that answered at once without waiting
    fetch(url, {headers: {"If-None-Match": '"' + version + '"'}, credentials: "same-origin", cache: "no-cache"})
      .then(function (response) {
        if (response.status === 304 && Date.now() - asked > 1000) { pause = 50; }
        if (response.status !== 200) { return null; }
        pause = 50;
        var etag = response.headers.get("ETag");
        if (etag) { version = etag.replace(/^W\//, "").replace(/"/g, ""); }
        return response.json();
      })
      .then(function (data) {
        if (!data) { return; }
        show(data.html);
        live.setAttribute("data-version", version);
        follow(data.open);
      })
      .catch(function () { /* the next poll tries again: meeting-room Wi-Fi drops */ })
      .then(function () { window.setTimeout(poll, pause); });
  }
  window.setTimeout(poll, 500);
}());
