// Self-check quiz: instant feedback in the page, no server. Each option carries its own
// explanation (hidden until chosen); the verdict is announced to screen readers.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-quiz]")) return;
  event.preventDefault();
  var feedback = form.querySelector(".quiz-feedback");
  var chosen = form.querySelector("input[type=radio]:checked");
  form.querySelectorAll(".quiz-option").forEach(function (option) {
    option.classList.remove("quiz-right", "quiz-wrong");
    option.querySelector(".quiz-why").hidden = true;
  });
  if (!chosen) {
    feedback.className = "quiz-feedback";
    feedback.textContent = courseWords("choose_first");
    return;
  }
  var option = chosen.closest(".quiz-option");
  var right = chosen.dataset.correct === "yes";
  var why = option.querySelector(".quiz-why");
  option.classList.add(right ? "quiz-right" : "quiz-wrong");
  why.hidden = false;
  feedback.className = "quiz-feedback " + (right ? "quiz-feedback--right" : "quiz-feedback--wrong");
  // The words: overrides/main.html (courseWords), from mkdocs.yml extra.ui.script.
  feedback.textContent = courseWords(right ? "right" : "not_quite") + " " + why.textContent +
    (right ? "" : " " + courseWords("try_another"));
  // progress.js remembers right answers (in this browser only).
  form.dispatchEvent(new CustomEvent("quiz-answered", { bubbles: true, detail: { right: right } }));
});
