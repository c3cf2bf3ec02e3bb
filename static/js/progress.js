// Shows how many questions of a long survey are answered; the form works without it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-progress]");
  if (!form) { return; }
  var questions = form.querySelectorAll("[data-question]");
  var text = form.querySelector("[data-progress-text]");
  var bar = form.querySelector("[data-progress-bar]");
  if (!text || !bar || questions.length < 5) { return; }
  var template = text.getAttribute("data-template");
  var last = -1;

  function answered(question) {
    var inputs = question.querySelectorAll("input, textarea, select");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function update() {
    var count = 0;
    for (var i = 0; i < questions.length; i++) { if (answered(questions[i])) { count++; } }
    if (count === last) { return; }
    last = count;
    bar.value = count;
    text.textContent = template.replace("{answered}", count).replace("{total}", questions.length);
  }

  text.hidden = false;
  bar.hidden = false;
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
}());
