#!/usr/bin/env node
// Render a bibliography and citation clusters with citeproc-js, the reference CSL
// processor, for policycite's golden corpus (see tools/make_js_golden.py).
//
// Input (stdin, JSON):
//   {"style": "<CSL XML>", "locale": "<locale XML>", "items": [CSL-JSON items],
//    "clusters": [[{"id", "locator", "label", "prefix", "suffix"}, ...], ...],
//    "format": "text" | "html"}
// Output (stdout, JSON):
//   {"bibliography": [{"id", "entry"}, ...],   // in bibliography order
//    "citations": ["...", ...]}                // one per cluster, in input order
//
// Every item is registered before anything is rendered, so that disambiguation and year
// suffixes (2020a/2020b) are assigned over the whole corpus, and the citations are
// rendered by the same engine, so that they agree with the bibliography. Each cluster is
// rendered on its own as a first citation (makeCitationCluster keeps no citation
// history), so that clusters do not influence each other.
//
// Usage: node render.js < job.json > result.json   (run `npm ci` in this folder first)

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

function main() {
  let job;
  try {
    job = JSON.parse(readStdin());
  } catch (err) {
    fail(`the job on stdin is not JSON: ${err.message}`);
  }
  const format = job.format || "text";
  if (format !== "text" && format !== "html") {
    fail(`unknown format ${JSON.stringify(format)}; use "text" or "html"`);
  }
  if (typeof job.style !== "string" || typeof job.locale !== "string") {
    fail("the job needs the style and the locale as XML text");
  }

  const items = {};
  const ids = [];
  for (const item of job.items || []) {
    const id = String(item.id);
    if (Object.prototype.hasOwnProperty.call(items, id)) {
      fail(`duplicate item id ${JSON.stringify(id)}`);
    }
    items[id] = item;
    ids.push(id);
  }

  const sys = {
    // The one locale given serves for every language asked for (en-US first of all).
    retrieveLocale: () => job.locale,
    retrieveItem: (id) => {
      const item = items[String(id)];
      if (item === undefined) {
        throw new Error(`no item with id ${JSON.stringify(String(id))}`);
      }
      return item;
    },
  };

  const engine = new CSL.Engine(sys, job.style, "en-US", true);
  engine.setOutputFormat(format);
  engine.updateItems(ids);

  const bibliography = [];
  if (engine.bibliography && engine.bibliography.tokens && engine.bibliography.tokens.length) {
    const result = engine.makeBibliography();
    if (result) {
      const [meta, entries] = result;
      let entryIds = meta.entry_ids.map((ids) => String(Array.isArray(ids) ? ids[0] : ids));
      if (entryIds.length !== entries.length) {
        // citeproc-js drops an entry that renders to nothing (Chicago leaves some kinds
        // out of the bibliography) but keeps its id: find those ids one item at a time.
        entryIds = entryIds.filter((id) => {
          const single = engine.makeBibliography({ include: [{ field: "id", value: id }] });
          return Boolean(single && single[1].length);
        });
        if (entryIds.length !== entries.length) {
          fail(`${entries.length} bibliography entries for ${entryIds.length} ids`);
        }
      }
      entryIds.forEach((id, index) => {
        bibliography.push({ id, entry: cleanEntry(entries[index], format) });
      });
    }
  }

  const citations = (job.clusters || []).map((cluster) => {
    const cites = cluster.map((cite) => {
      const out = { id: String(cite.id) };
      for (const key of ["locator", "label", "prefix", "suffix"]) {
        if (cite[key] !== undefined && cite[key] !== null && cite[key] !== "") {
          out[key] = String(cite[key]);
        }
      }
      return out;
    });
    return cleanEntry(engine.makeCitationCluster(cites), format);
  });

  process.stdout.write(JSON.stringify({ bibliography, citations }) + "\n");
}

main();
