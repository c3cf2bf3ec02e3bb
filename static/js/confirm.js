// Confirm before anything irreversible. A form carrying data-confirm-* (templates/_forms.html
// confirm_attributes) asks in a modal <dialog> first: a heading, what happens, the confirm button
// and Cancel. Confirming posts the form with confirmed=1; Cancel or Escape closes the dialog and
// focus returns to the button that opened it. Without JavaScript (or <dialog>) the server answers
// the same POST with a confirm page instead.
(function () {
  "use strict";

  if (typeof HTMLDialogElement !== "function") {
    return;
  }

  var dialog, heading, consequence, confirmButton, cancelButton, pending, trigger;

  function element(tag, className, id) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (id) made.id = id;
    return made;
  }

  function build() {
    dialog = element("dialog", "confirm-dialog", "confirm-dialog");
    heading = element("h2", "", "confirm-dialog-title");
    consequence = element("p", "", "confirm-dialog-text");
    dialog.setAttribute("aria-labelledby", heading.id);
    dialog.setAttribute("aria-describedby", consequence.id);
    var actions = element("div", "actions");
    confirmButton = element("button", "button danger");
    confirmButton.type = "button";
    cancelButton = element("button", "link-button");
    cancelButton.type = "button";
    actions.appendChild(confirmButton);
    actions.appendChild(cancelButton);
    dialog.appendChild(heading);
    dialog.appendChild(consequence);
    dialog.appendChild(actions);
    document.body.appendChild(dialog);

    confirmButton.addEventListener("click", function () {
      var form = pending;
      pending = null;
      dialog.close();
      var field = element("input");
      field.type = "hidden";
      field.name = "confirmed";
      field.value = "1";
      form.appendChild(field);
      // Not form.submit(): a field named "submit" (WTForms' SubmitField) hides that method.
      HTMLFormElement.prototype.submit.call(form);
    });
    cancelButton.addEventListener("click", function () {
      dialog.close();
    });
    // Cancel, Escape (the dialog's own "cancel"): nothing is sent, focus goes back where it was.
    dialog.addEventListener("close", function () {
      if (pending && trigger) trigger.focus();
      pending = null;
    });
  }

  function asks(form) {
    if (!form.hasAttribute("data-confirm-title") || form.querySelector("input[name=confirmed]")) return false;
    // An edit form asks only when it would disable (data-confirm-unless names the checkbox left unticked).
    var unless = form.getAttribute("data-confirm-unless");
    return !(unless && form.elements[unless] && form.elements[unless].checked);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !asks(form)) return;
    event.preventDefault();
    if (!dialog) build();
    pending = form;
    trigger = event.submitter || form.querySelector("[type=submit]");
    heading.textContent = form.getAttribute("data-confirm-title");
    consequence.textContent = form.getAttribute("data-confirm-text");
    confirmButton.textContent = form.getAttribute("data-confirm-button");
    cancelButton.textContent = form.getAttribute("data-confirm-cancel");
    dialog.showModal();
    cancelButton.focus();
  });
}());
