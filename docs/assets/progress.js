// Progress without an account. The learner's own browser remembers (localStorage, nothing
// is ever sent) which quiz questions they answered right and which demos and exercises they
// marked as done. Pages say where progress shows with data-progress-* attributes (written by
// src/martech/build.py and overrides/partials/); this script fills them in once the page has
// loaded, when the browser is idle, touching only those few elements.
(function () {
  var COURSE = "web-technology-for-marketers";
  var KEY = COURSE + ":progress";
  var FILE = COURSE + "-progress.json";
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var SLUG = /^[a-z0-9-]{1,80}$/;
  var QUESTION = /^[1-9][0-9]?$/;
  // The words: overrides/main.html (courseWords), from mkdocs.yml extra.ui.script.
  var NO_STORAGE = courseWords("no_storage");
  var memory = null;  // what this page knows when the browser refuses to store it

  function blank() { return { course: COURSE, version: 1, name: "", modules: {} }; }

  // A progress record, checked part by part; null when anything in it is not what this script writes.
  function valid(data) {
    if (!data || typeof data !== "object" || data.course !== COURSE || !data.modules ||
        typeof data.modules !== "object" || Array.isArray(data.modules)) return null;
    var clean = blank();
    if (data.name !== undefined && typeof data.name !== "string") return null;
    clean.name = (data.name || "").slice(0, 80);
    for (var slug in data.modules) {
      var given = data.modules[slug], kept = { quiz: {} };
      if (!SLUG.test(slug) || !given || typeof given !== "object") return null;
      for (var step in given) {
        if (step === "quiz") {
          if (!given.quiz || typeof given.quiz !== "object") return null;
          for (var q in given.quiz) {
            if (!QUESTION.test(q) || !DATE.test(given.quiz[q])) return null;
            kept.quiz[q] = given.quiz[q];
          }
        } else if (step === "demo" || step === "exercise") {
          if (!DATE.test(given[step])) return null;
          kept[step] = given[step];
        } else return null;
      }
      clean.modules[slug] = kept;
    }
    return clean;
  }

  function read() {
    try {
      var text = window.localStorage.getItem(KEY);
      return (text && valid(JSON.parse(text))) || memory || blank();
    } catch (error) {
      return memory || blank();
    }
  }

  // Returns false when the browser would not keep it (the page still shows it until it closes).
  function write(state) {
    memory = state;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
      return true;
    } catch (error) {
      return false;
    }
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  function shown(iso) {
    var p = iso.split("-");
    return new Date(+p[0], p[1] - 1, +p[2]).toLocaleDateString(document.documentElement.lang === "en" ? "en-GB" : document.documentElement.lang || "en-GB", { day: "numeric", month: "long", year: "numeric" });
  }

  function earlier(a, b) { return !a ? b : !b ? a : (a < b ? a : b); }

  function entry(state, slug) {
    return state.modules[slug] || (state.modules[slug] = { quiz: {} });
  }

  // Where one module stands: steps done of all (each quiz question, the demo, the exercise),
  // and the day the last step was done once every one is.
  function standing(state, slug, questions) {
    var m = state.modules[slug] || { quiz: {} }, right = 0, last = "";
    for (var q = 1; q <= questions; q++) {
      if (m.quiz[q]) { right++; last = m.quiz[q] > last ? m.quiz[q] : last; }
    }
    var done = right + (m.demo ? 1 : 0) + (m.exercise ? 1 : 0), all = questions + 2;
    if (done === all) last = [last, m.demo, m.exercise].sort().pop();
    return { done: done, all: all, right: right, questions: questions, demo: !!m.demo, exercise: !!m.exercise,
             completed: done === all ? last : "" };
  }

  function words(s, short) {
    if (s.completed) return courseWords("completed_on", { date: shown(s.completed) });
    if (!s.done) return courseWords("not_started");
    if (short) return courseWords("steps_done", { done: s.done, all: s.all });
    return s.right + " of " + s.questions + " quiz questions right, demo " + (s.demo ? "done" : "not done yet") +
      ", exercise " + (s.exercise ? "done" : "not done yet");
  }

  function render() {
    var state = read();
    document.querySelectorAll("[data-progress-summary]").forEach(function (el) {
      var s = standing(state, el.dataset.progressSummary, +el.dataset.questions || 0);
      var text = words(s, "short" in el.dataset);
      if (el.textContent !== text) el.textContent = text;
      var holder = el.closest("[data-module]") || el;
      holder.dataset.progress = s.completed ? "complete" : s.done ? "started" : "none";
    });
    document.querySelectorAll("[data-module] input[data-progress-step]").forEach(function (box) {
      var m = state.modules[box.closest("[data-module]").dataset.module];
      box.checked = !!(m && m[box.dataset.progressStep]);
    });
    document.querySelectorAll(".quiz[data-module]").forEach(function (quiz) {
      var m = state.modules[quiz.dataset.module] || { quiz: {} };
      quiz.querySelectorAll("form[data-question]").forEach(function (form) {
        var note = form.querySelector(".quiz-remembered");
        if (m.quiz[form.dataset.question] && !note) {
          note = document.createElement("p");
          note.className = "quiz-remembered";
          note.textContent = courseWords("answered_on", { date: shown(m.quiz[form.dataset.question]) });
          form.querySelector("fieldset").appendChild(note);
        } else if (!m.quiz[form.dataset.question] && note) {
          note.remove();
        }
      });
    });
    var area = document.querySelector("[data-progress-record]");
    if (area) renderRecord(area, state);
  }

  function renderRecord(area, state) {
    var complete = 0, last = "", rows = document.querySelectorAll(".progress-modules [data-progress-summary]");
    rows.forEach(function (el) {
      var s = standing(state, el.dataset.progressSummary, +el.dataset.questions || 0);
      var date = area.querySelector('[data-progress-date="' + el.dataset.progressSummary + '"]');
      if (date) date.textContent = s.completed ? shown(s.completed) : "…";
      if (s.completed) complete++;
      if (s.completed > last) last = s.completed;
    });
    var all = complete === rows.length && rows.length > 0;
    area.querySelector("[data-progress-count]").textContent = complete;
    area.querySelector("[data-progress-last]").textContent = all ? shown(last) : "…";
    area.querySelector(".course-record-wait").hidden = all;
    area.querySelector(".course-record").hidden = !all;
    var input = area.querySelector("#record-name");
    if (document.activeElement !== input) input.value = state.name;
    area.querySelector("[data-record-name]").textContent = state.name || "Your name";
  }

  function say(near, text) {
    var box = near.closest("[data-module], .progress-tools") || document;
    var message = box.querySelector(".progress-message") || document.querySelector(".progress-message");
    if (message) message.textContent = text;
  }

  function save(state, near, text) {
    var kept = write(state);
    render();
    if (near) say(near, kept ? text : NO_STORAGE);
  }

  // A right answer is remembered on the day it was first given; a wrong one later changes nothing.
  document.addEventListener("quiz-answered", function (event) {
    var quiz = event.target.closest(".quiz[data-module]");
    if (!event.detail.right || !quiz) return;
    var state = read(), m = entry(state, quiz.dataset.module), q = event.target.dataset.question;
    if (m.quiz[q]) return;
    m.quiz[q] = today();
    if (!write(state)) event.target.querySelector(".quiz-feedback").textContent += " " + NO_STORAGE;
    render();
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("input[data-progress-step]")) {
      var holder = box.closest("[data-module]"), step = box.dataset.progressStep;
      var state = read(), m = entry(state, holder.dataset.module);
      if (box.checked) m[step] = m[step] || today(); else delete m[step];
      var s = standing(state, holder.dataset.module, +holder.dataset.questions || 0);
      save(state, box, box.checked ? courseWords(step + "_done") + (s.completed ? " " + courseWords("module_completed") : "") +
        " " + courseWords("stays_here") : courseWords(step + "_undone"));
    } else if (box.id === "progress-file" && box.files.length) {
      load(box.files[0], box);
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.id !== "record-name") return;
    var state = read();
    state.name = event.target.value.trim().slice(0, 80);
    write(state);
    document.querySelectorAll("[data-record-name]").forEach(function (el) { el.textContent = state.name || "Your name"; });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-progress-action]");
    if (!button) return;
    var action = button.dataset.progressAction;
    if (action === "export") exportFile(button);
    if (action === "import") document.getElementById("progress-file").click();
    if (action === "print") window.print();
    if (action === "forget" && window.confirm("Forget all your progress in this browser? This cannot be undone. " +
        "To keep a copy, save your progress to a file first.")) {
      memory = null;
      try { window.localStorage.removeItem(KEY); } catch (error) { /* nothing was stored */ }
      render();
      say(button, "Done: this browser no longer remembers any of your progress.");
    }
  });

  function exportFile(button) {
    var state = read();
    if (!Object.keys(state.modules).length && !state.name) {
      say(button, "There is nothing to save yet: answer a quiz question or mark a demo as done first.");
      return;
    }
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(state, null, 2) + "\n"], { type: "application/json" }));
    link.download = FILE;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    say(button, "Saved: look for " + FILE + " in your downloads. Copy it to the other computer and load it there.");
  }

  // What the file holds is added to what this browser has: the earliest day of each step wins.
  function load(file, input) {
    var refuse = function () {
      say(input, "“" + file.name + "” is not a progress file saved from this course, so nothing was changed. " +
        "Choose the file that “Save my progress to a file” made: its name ends in -progress.json.");
      input.value = "";
    };
    if (file.size > 200000) return refuse();
    file.text().then(function (text) {
      var given;
      try { given = valid(JSON.parse(text)); } catch (error) { given = null; }
      if (!given) return refuse();
      var state = read();
      for (var slug in given.modules) {
        var from = given.modules[slug], into = entry(state, slug);
        for (var q in from.quiz) into.quiz[q] = earlier(into.quiz[q], from.quiz[q]);
        ["demo", "exercise"].forEach(function (step) { if (from[step]) into[step] = earlier(into[step], from[step]); });
      }
      state.name = state.name || given.name;
      input.value = "";
      save(state, input, "Loaded “" + file.name + "”: its progress is added to what this browser already had.");
    }, refuse);
  }

  // Print: full addresses after links to the site's own pages (course.css prints the others'),
  // closed blocks opened, and always the light colours, which suit paper.
  function printing(on) {
    var body = document.body;
    if (on) {
      document.querySelectorAll("article a[href]:not([href^='#']):not([href^='http']):not([href^='mailto:']):not(.headerlink):not(.footnote-ref)")
        .forEach(function (a) { a.dataset.printUrl = a.href; });
      document.querySelectorAll("article details:not([open])").forEach(function (d) { d.open = true; d.dataset.printOpened = ""; });
      if (body.dataset.mdColorScheme !== "default") {
        body.dataset.printScheme = body.dataset.mdColorScheme;
        body.dataset.mdColorScheme = "default";
      }
    } else {
      document.querySelectorAll("details[data-print-opened]").forEach(function (d) { d.open = false; delete d.dataset.printOpened; });
      if (body.dataset.printScheme) {
        body.dataset.mdColorScheme = body.dataset.printScheme;
        delete body.dataset.printScheme;
      }
    }
  }
  window.addEventListener("beforeprint", function () { printing(true); });
  window.addEventListener("afterprint", function () { printing(false); });
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    if (print.addEventListener) print.addEventListener("change", function (event) { printing(event.matches); });
  }

  // Another tab changed it.
  window.addEventListener("storage", function (event) { if (event.key === KEY || event.key === null) render(); });

  // A box ticked (or cleared) before this script ran changed nothing yet: save it as if it had
  // just been changed, or showing what is saved would undo what the reader did. (The boxes say
  // autocomplete="off", so a box that differs from its default was changed by the reader.)
  function later() {
    (window.requestIdleCallback || setTimeout)(function () {
      document.querySelectorAll("[data-module] input[data-progress-step]").forEach(function (box) {
        if (box.checked !== box.defaultChecked) box.dispatchEvent(new Event("change", { bubbles: true }));
      });
      render();
    });
  }
  if (document.readyState === "complete") later(); else window.addEventListener("load", later);
})();
