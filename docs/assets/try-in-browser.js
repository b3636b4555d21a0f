// "Try it in your browser" on an exercise page (martech.build.try_in_browser): runs the learner's
// copy of the exercise notebook in this page, with Python compiled to WebAssembly (Pyodide), which
// the site ships in assets/pyodide/ with the course's own package (course.zip). Nothing loads
// until the reader presses the button, and nothing is fetched from another host.
const box = document.querySelector(".try-in-browser");
const here = new URL("./pyodide/", import.meta.url);

function say(text) {
  box.querySelector(".try-status").textContent = text;
}

function got(response) {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
  return response;
}

function source(cell) {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

async function start(button) {
  button.disabled = true;
  const runtime = location.protocol === "file:" ? null : await fetch(new URL("pyodide.mjs", here))
    .catch(() => null);
  if (!runtime?.ok) { // the copy to read offline has no Python for the page (martech.offline)
    say("This copy of the site has no Python for the page: try the exercise on the course's own site, or in JupyterLab.");
    return;
  }
  say(`Loading Python in your browser (${box.dataset.size})…`);
  try {
    const [{ loadPyodide }, notebook, course] = await Promise.all([
      import(new URL("pyodide.mjs", here)),
      fetch(new URL(box.dataset.try, location.href)).then((r) => got(r).json()),
      fetch(new URL("course.zip", here)).then((r) => got(r).arrayBuffer()),
    ]);
    // The checks answer in the reader's language where they have its hints (martech.checks).
    const language = (navigator.language || "en").split("-")[0];
    const python = await loadPyodide({
      indexURL: here.href,
      env: { HOME: "/home/pyodide", MARTECH_LANGUAGE: language, MARTECH_HINTS_DIR: "/course/hints" },
    });
    python.unpackArchive(course, "zip", { extractDir: "/course" });
    python.runPython("import sys; sys.path.insert(0, '/course')");
    const runCell = python.runPython("from martech.inbrowser import run_cell; run_cell");
    const namespace = python.runPython("{'__name__': '__main__'}");
    const cells = notebook.cells.filter((c) => c.cell_type === "code" && source(c).trim());
    document.querySelectorAll(".try-cell").forEach((slot) => {
      const cell = cells[Number(slot.dataset.cell)];
      if (!cell || "needsComputer" in slot.dataset) return;
      editor(slot, source(cell), (code) => {
        const result = runCell(code, namespace);
        const [text, ran] = result.toJs();
        result.destroy();
        return { text, ran };
      });
    });
    button.parentElement.hidden = true;
    say("Python is ready. Change the code under each step, then press its Run button (or Shift+Enter).");
    // The button is gone: the reader goes on where the work is, not back to the top of the page.
    document.querySelector(".try-code")?.focus();
  } catch (error) {
    button.disabled = false;
    say(`Python could not start in this page (${error.message}). Try again, or do the exercise in JupyterLab.`);
  }
}

let editors = 0;

function editor(slot, code, run) {
  const id = `try-code-${++editors}`;
  const shown = slot.previousElementSibling; // the static code block the editor replaces
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = "Your code for this step (runs in this page)";
  const area = document.createElement("textarea");
  area.id = id;
  area.className = "try-code";
  area.spellcheck = false;
  area.autocapitalize = "off";
  area.value = code;
  area.rows = Math.min(Math.max(code.split("\n").length, 2), 20);
  area.setAttribute("dir", "ltr"); // code reads left to right on every page
  area.wrap = "off"; // a long line scrolls, as in JupyterLab: a wrapped one hides the lines below
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button";
  button.textContent = "Run";
  const output = document.createElement("pre");
  output.className = "try-output";
  output.setAttribute("role", "status");
  output.hidden = true;
  button.addEventListener("click", () => {
    const { text, ran } = run(area.value);
    output.textContent = text || "(Done: this step prints nothing.)";
    // A check's answer is a sentence, which wraps; a table keeps its columns and scrolls.
    const sentence = /^[✔✘]/.test(text);
    output.classList.toggle("try-sentence", sentence);
    output.tabIndex = sentence ? -1 : 0; // a table that scrolls sideways scrolls by keyboard too
    output.hidden = false;
  });
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.shiftKey) { // Jupyter's key, which the exercise names
      event.preventDefault();
      button.click();
    }
  });
  if (shown && shown.matches(".highlight, pre")) shown.hidden = true;
  slot.append(label, area, button, output);
}

if (box) {
  const button = box.querySelector("button");
  button.addEventListener("click", () => start(button));
}
