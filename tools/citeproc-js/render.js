#!/usr/bin/env node
// Render a bibliography and citation clusters with citeproc-js, the reference CSL
// processor, for policycite's golden corpus (tools/make_js_golden.py) and for the
// catalogue measurement (tools/catalogue_conformance.py).
//
// Single job (stdin, JSON; stdout, JSON):
//   {"style": "<CSL XML>", "locale": "<locale XML>", "items": [CSL-JSON items],
//    "clusters": [[{"id", "locator", "label", "prefix", "suffix"}, ...], ...],
//    "format": "text" | "html"}
//   -> {"bibliography": [{"id", "entry"}, ...],   // in bibliography order
//       "citations": ["...", ...]}                // one per cluster, in input order
//
// Optional job fields (all used by the catalogue tool):
//   "lang":     the locale the style is run in (default "en-US"): what citeproc-py
//               uses too (the style's default-locale, else en-US), so that the style's own
//               <locale xml:lang="..."> overrides apply alike;
//   "locales":  {"<lang>": "<locale XML>", ...}: the locale files to serve by name (a
//               request for a language, "de", or a dialect missing here takes the file
//               of the same language, then "locale"); "locale" alone serves every request;
//   "formats":  ["text", "html"]: render the job once per format; the output is then
//               {"text": {...}, "html": {...}} with the fields above;
//   "document": [[cite, ...], ...]: clusters of ONE document, processed in order by
//               processCitationCluster with note numbers (note n for the n-th cluster in
//               a note style, 0 in an in-text style), so that positions (first,
//               subsequent, ibid, ibid-with-locator, near-note) and disambiguation across
//               the document apply; output "document": ["...", ...], the final text of
//               each cluster (a later cluster can change an earlier one);
//   a cite may carry "suppress-author": true or "author-only": true.
//
// Every item is registered before anything is rendered, so that disambiguation and year
// suffixes (2020a/2020b) are assigned over the whole corpus, and the citations are
// rendered by the same engine, so that they agree with the bibliography. Each of
// "clusters" is rendered on its own as a first citation (makeCitationCluster keeps no
// citation history), so that clusters do not influence each other.
//
// Batch mode: `node render.js --batch` reads one job per line (JSON) and writes one result
// per line, in order: the result, or {"error": "..."} for a job that failed; one node
// process serves every job (starting node and loading citeproc-js costs more than most
// styles take to render).
//
// Usage: node render.js < job.json > result.json   (run `npm ci` in this folder first)
//        node render.js --version                  (the citeproc-js version)

"use strict";

const CSL = require("citeproc");

function readStdin() {
  const fs = require("fs");
  return fs.readFileSync(0, "utf8");
}

function fail(message) {
  process.stderr.write(`render.js: ${message}\n`);
  process.exit(1);
}

class JobError extends Error {}

function cleanEntry(entry, format) {
  let text = String(entry);
  if (format === "html") {
    text = text.trim();
    const match = /^<div class="csl-entry">([\s\S]*)<\/div>$/.exec(text);
    if (match) {
      text = match[1];
    }
    return text.trim();
  }
  return text.trim();
}

function citeJson(cite) {
  const out = { id: String(cite.id) };
  for (const key of ["locator", "label", "prefix", "suffix"]) {
    if (cite[key] !== undefined && cite[key] !== null && cite[key] !== "") {
      out[key] = String(cite[key]);
    }
  }
  for (const key of ["suppress-author", "author-only"]) {
    if (cite[key]) {
      out[key] = true;
    }
  }
  return out;
}

function localeServer(job) {
  const locales = job.locales || {};
  return (lang) => {
    if (Object.prototype.hasOwnProperty.call(locales, lang)) {
      return locales[lang];
    }
    const language = String(lang).split("-")[0];
    for (const name of Object.keys(locales)) {
      if (name.split("-")[0] === language) {
        return locales[name];
      }
    }
    if (typeof job.locale === "string") {
      return job.locale;
    }
    return locales["en-US"];
  };
}

function makeEngine(job, items, format) {
  const sys = {
    retrieveLocale: localeServer(job),
    retrieveItem: (id) => {
      const item = items[String(id)];
      if (item === undefined) {
        throw new JobError(`no item with id ${JSON.stringify(String(id))}`);
      }
      return item;
    },
  };
  const engine = new CSL.Engine(sys, job.style, job.lang || "en-US", true);
  engine.setOutputFormat(format);
  return engine;
}

function renderBibliography(engine, format) {
  const bibliography = [];
  if (!(engine.bibliography && engine.bibliography.tokens && engine.bibliography.tokens.length)) {
    return bibliography;
  }
  const result = engine.makeBibliography();
  if (!result) {
    return bibliography;
  }
  const [meta, entries] = result;
  let entryIds = meta.entry_ids.map((ids) => String(Array.isArray(ids) ? ids[0] : ids));
  if (entryIds.length !== entries.length && Array.isArray(meta.bibliography_errors)) {
    // citeproc-js drops an entry that renders to nothing (Chicago leaves some kinds out
    // of the bibliography) but keeps its id; it names those ids in bibliography_errors.
    const dropped = new Set(meta.bibliography_errors.map((e) => String(e.itemID)));
    entryIds = entryIds.filter((id) => !dropped.has(id));
  }
  if (entryIds.length !== entries.length) {
    // Else find the ids of the entries one item at a time (slow: a bibliography each).
    entryIds = meta.entry_ids.map((ids) => String(Array.isArray(ids) ? ids[0] : ids));
    entryIds = entryIds.filter((id) => {
      const single = engine.makeBibliography({ include: [{ field: "id", value: id }] });
      return Boolean(single && single[1].length);
    });
    if (entryIds.length !== entries.length) {
      throw new JobError(`${entries.length} bibliography entries for ${entryIds.length} ids`);
    }
  }
  entryIds.forEach((id, index) => {
    bibliography.push({ id, entry: cleanEntry(entries[index], format) });
  });
  return bibliography;
}

function renderDocument(engine, job, ids, format) {
  // A fresh citation history, every item registered (as the document's reference list,
  // as policycite does), on the engine already built: parsing a long style costs seconds.
  engine.restoreProcessorState([]);
  engine.setOutputFormat(format);
  engine.updateUncitedItems(ids);
  const notes = engine.opt.xclass === "note";
  const texts = [];
  const pre = [];
  job.document.forEach((cluster, index) => {
    const citationID = `c${index}`;
    const noteIndex = notes ? index + 1 : 0;
    const citation = {
      citationID,
      citationItems: cluster.map(citeJson),
      properties: { noteIndex },
    };
    // status.citation_errors names cites that render to nothing (an empty "ibid" form,
    // say): that is the output, not a failure.
    const updates = engine.processCitationCluster(citation, pre.slice(), [])[1];
    texts.push("");
    for (const [position, text] of updates) {
      texts[position] = cleanEntry(text, format);
    }
    pre.push([citationID, noteIndex]);
  });
  return texts;
}

function renderJob(job, formats) {
  const items = {};
  const ids = [];
  for (const item of job.items || []) {
    const id = String(item.id);
    if (Object.prototype.hasOwnProperty.call(items, id)) {
      throw new JobError(`duplicate item id ${JSON.stringify(id)}`);
    }
    items[id] = item;
    ids.push(id);
  }
  // One engine for every format: the registry (sorting, disambiguation) does not depend
  // on the output format, and makeBibliography/makeCitationCluster render afresh.
  const engine = makeEngine(job, items, formats[0]);
  engine.updateItems(ids);
  const outs = {};
  for (const format of formats) {
    engine.setOutputFormat(format);
    const out = { bibliography: renderBibliography(engine, format) };
    out.citations = (job.clusters || []).map((cluster) =>
      cleanEntry(engine.makeCitationCluster(cluster.map(citeJson)), format),
    );
    outs[format] = out;
  }
  if (Array.isArray(job.document)) {
    for (const format of formats) {
      outs[format].document = renderDocument(engine, job, ids, format);
    }
  }
  return outs;
}

function checkFormat(format) {
  if (format !== "text" && format !== "html") {
    throw new JobError(`unknown format ${JSON.stringify(format)}; use "text" or "html"`);
  }
}

function runJob(job) {
  if (typeof job.style !== "string" || (typeof job.locale !== "string" && !job.locales)) {
    throw new JobError("the job needs the style and the locale as XML text");
  }
  if (Array.isArray(job.formats)) {
    job.formats.forEach(checkFormat);
    return renderJob(job, job.formats);
  }
  const format = job.format || "text";
  checkFormat(format);
  return renderJob(job, [format])[format];
}

function batch() {
  const readline = require("readline");
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) {
      return;
    }
    let result;
    try {
      result = runJob(JSON.parse(line));
    } catch (err) {
      result = { error: `${err && err.name ? err.name : "Error"}: ${err && err.message ? err.message : err}` };
    }
    process.stdout.write(JSON.stringify(result) + "\n");
  });
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes("--version")) {
    process.stdout.write(`${require("citeproc/package.json").version}\n`);
    return;
  }
  if (args.includes("--batch")) {
    batch();
    return;
  }
  let job;
  try {
    job = JSON.parse(readStdin());
  } catch (err) {
    fail(`the job on stdin is not JSON: ${err.message}`);
  }
  try {
    process.stdout.write(JSON.stringify(runJob(job)) + "\n");
  } catch (err) {
    fail(err.message);
  }
}

main();
