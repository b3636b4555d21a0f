// Runs notebooks' cells in Pyodide under Node.js, as docs/assets/try-in-browser.js runs them in a
// page: node pyodide_cells.mjs <folder ship() wrote> < job.json, where the job is
// [{"name": ..., "cells": ["source", ...]}, ...]; prints [{"name": ..., "results": [[text, ran], ...]}].
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const folder = process.argv[2].replace(/\/?$/, "/");
const { loadPyodide } = await import(pathToFileURL(folder + "pyodide.mjs"));
const python = await loadPyodide({ indexURL: folder, env: { HOME: "/home/pyodide", MARTECH_HINTS_DIR: "/course/hints" } });
python.unpackArchive(new Uint8Array(readFileSync(folder + "course.zip")), "zip", { extractDir: "/course" });
python.runPython("import sys; sys.path.insert(0, '/course')");
const runCell = python.runPython("from martech.inbrowser import run_cell; run_cell");
const report = [];
for (const notebook of JSON.parse(readFileSync(0, "utf8"))) {
  const namespace = python.runPython("{'__name__': '__main__'}");
  report.push({ name: notebook.name, results: notebook.cells.map((code) => runCell(code, namespace).toJs()) });
}
process.stdout.write(JSON.stringify(report));
