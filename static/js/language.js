// The language switcher: choosing a language with a mouse or a finger applies
// it at once; with the keyboard, arrow keys only move through the list (as they
// would without this script) and Enter applies the choice. The form's "Change
// language" button stays for keyboards (and is all there is without JavaScript):
// it is visually hidden until it has the focus.
(function () {
  "use strict";
  var form = document.querySelector("form.language-picker");
  var select = form && form.querySelector("select[name=lang]");
  if (!select) {
    return;
  }
  form.classList.add("language-picker-live");
  var button = form.querySelector("button.language-go");
  if (button) {
    button.classList.add("visually-hidden");
  }
  var browsing = false;  // the last change came from keys moving through the list
  var send = function () {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  };
  select.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      send();
      return;
    }
    browsing = event.key !== "Tab" && event.key !== "Escape";
  });
  select.addEventListener("pointerdown", function () {
    browsing = false;
  });
  select.addEventListener("change", function () {
    if (!browsing) {
      send();
    }
  });
})();
