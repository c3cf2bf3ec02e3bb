// Keeps a tapped ballot (or a filled survey) on the phone when the Wi-Fi drops, and sends it when the
// network returns. The form carries a client id made by the server: a retry sends the same id, and the
// server stores it once. Without JavaScript the form posts as usual, and a failed post leaves it filled.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.sessionStorage || !window.URLSearchParams) { return; }
  var kind = script.getAttribute("data-kind");
  var then = script.getAttribute("data-then");
  var words = {sent: script.getAttribute("data-sent"), waiting: script.getAttribute("data-waiting")};
  var fields = document.querySelectorAll("form input[name=client_id]");
  for (var i = 0; i < fields.length; i++) { keepAndSend(fields[i].form); }

  function freshId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function keepAndSend(form) {
    var action = form.getAttribute("action") || window.location.pathname;
    // One kept copy per form: a seat holding a proxy has two ballot forms on one page, told apart by "for".
    var key = "kept:" + action + (form.elements["for"] ? "#" + form.elements["for"].value : "");
    var status = document.createElement("p");
    status.className = "offline-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.hidden = true;  // out of the way (and of the accessibility tree) until it has something to say
    form.appendChild(status);
    var tried = null;   // the client id of the last attempt
    var sending = false;
    var waited = false; // sent at once, the page follows the server's answer as without JavaScript
    var delay = 2000;
    var timer = null;

    function kept() {
      try { return JSON.parse(window.sessionStorage.getItem(key)); } catch (error) { return null; }
    }

    function say(text) {
      status.hidden = !text;
      if (status.textContent !== text) { status.textContent = text; }
    }

    function restore(entries) {
      entries.forEach(function (entry) {
        var named = form.elements[entry[0]];
        if (!named) { return; }
        var list = named.length !== undefined && !named.tagName ? named : [named];
        for (var j = 0; j < list.length; j++) {
          var field = list[j];
          if (field.type === "radio" || field.type === "checkbox") {
            if (field.value === entry[1]) { field.checked = true; }
          } else if (field.type !== "file") {
            field.value = entry[1];
          }
        }
      });
      tried = form.elements.client_id.value;
    }

    function retryLater() {
      waited = true;
      say(words.waiting);
      window.clearTimeout(timer);
      timer = window.setTimeout(send, delay);
      delay = Math.min(delay * 2, 30000);
    }

    function delivered(html) {
      window.sessionStorage.removeItem(key);
      delay = 2000;
      // The server's own words ("Your vote is recorded…"), read from the page it answered with, said once.
      var note = "";
      if (html && window.DOMParser) {
        var answer = new DOMParser().parseFromString(html, "text/html").querySelector(".flash[role=status]");
        note = answer ? answer.textContent.trim() : "";
      }
      // Sent at once: the page shows the server's answer as after a plain post (a reload: the address may end in "#main").
      if (!then && !waited) { window.location.reload(); return; }
      waited = false;
      var old = document.querySelectorAll(".flash[role=status]");
      for (var j = 0; j < old.length; j++) {
        if (note && old[j].textContent.trim() === note) { old[j].parentNode.removeChild(old[j]); }
      }
      say(note ? words.sent + " " + note : words.sent);
      if (then) { window.location.assign(then); }
    }

    function send() {
      var entries = kept();
      if (!entries || sending) { return; }
      sending = true;
      window.clearTimeout(timer);
      var body = new URLSearchParams();
      entries.forEach(function (entry) { body.append(entry[0], entry[1]); });
      // A survey's answer sets its receipt cookie on the redirect, which the thanks page then reads.
      fetch(action, {method: "POST", body: body, credentials: "same-origin", cache: "no-store",
                     redirect: then || !waited ? "manual" : "follow"})
        .then(function (response) {
          sending = false;
          if (response.type === "opaqueredirect") {
            delivered("");
          } else if (response.status >= 200 && response.status < 400) {
            response.text().then(delivered, function () { delivered(""); });
          } else if (response.status >= 400 && response.status < 500) {
            // Refused, not lost (a closed round, a missing answer): the page says why, as without JavaScript.
            window.sessionStorage.removeItem(key);
            restore(entries);
            form.submit();
          } else {
            retryLater();
          }
        }, function () {
          sending = false;
          retryLater();
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var entries = [];
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") { entries.push([name, value]); }
      });
      tried = form.elements.client_id.value;
      try {
        window.sessionStorage.setItem(key, JSON.stringify(entries));
      } catch (error) {
        form.submit();  // no room to keep it: post as without JavaScript
        return;
      }
      // What the page said of the last submission ("Your vote is recorded") no longer speaks of this one.
      var said = document.querySelectorAll(".flash[role=status]");
      for (var j = 0; j < said.length; j++) { said[j].parentNode.removeChild(said[j]); }
      say("");
      delay = 2000;
      send();
    });

    // A ballot changed after it was sent is a new ballot, with a new id; a survey page is one response.
    if (kind === "ballot") {
      form.addEventListener("change", function (event) {
        if (tried && form.elements.client_id.value === tried && event.target.type !== "hidden") {
          form.elements.client_id.value = freshId();
        }
      });
    }
    window.addEventListener("online", function () { delay = 2000; send(); });

    var waiting = kept();
    if (waiting) {
      restore(waiting);
      waited = true;
      say(words.waiting);
      send();
    }
  }
}());
