// Invitation links carry the code after "#" (/s/<token>#invite=CODE): browsers
// never send that part, so no server or proxy log holds it. Put the code into
// the survey form's invitation field (it travels only in the form's POST),
// then take it out of the address bar and this page's history entry.
(function () {
  "use strict";
  var match = /^#(?:.*&)?invite=([^&]*)/.exec(window.location.hash);
  if (!match) {
    return;
  }
  var code = "";
  try {
    code = decodeURIComponent(match[1]);
  } catch (error) {
    code = "";
  }
  code = code.replace(/[^A-Za-z0-9 -]/g, "").slice(0, 64);
  var field = document.getElementById("invitation");
  if (field && code && !field.value) {
    field.value = code;
  }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
