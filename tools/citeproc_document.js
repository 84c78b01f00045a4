#!/usr/bin/env node
// Render citation clusters as ONE document with citeproc-js (processCitationCluster),
// so that positions (first, subsequent, ibid, near-note, first-reference-note-number)
// are those of a document: the reference outputs for tests/test_csl_citations.py.
//
// Input (stdin, JSON): {"style", "locale", "items", "clusters": [[{id, locator, label,
//   prefix, suffix}, ...], ...], "format": "text" | "html", "notes": true | false}
// With "notes" each cluster is a footnote (noteIndex 1, 2, ...); without, every
// citation is in the text (noteIndex 0), as in an in-text style.
// Output (stdout, JSON): {"citations": ["...", ...]}: each cluster as the document
// ends up, after citeproc-js re-rendered the citations a later one changed.
//
// Usage: NODE_PATH=tools/citeproc-js/node_modules node tools/citeproc_document.js < job.json

"use strict";

const CSL = require("citeproc");
const fs = require("fs");

const job = JSON.parse(fs.readFileSync(0, "utf8"));
const items = {};
for (const item of job.items || []) {
  items[String(item.id)] = item;
}
const sys = {
  retrieveLocale: () => job.locale,
  retrieveItem: (id) => items[String(id)],
};
const engine = new CSL.Engine(sys, job.style, "en-US", true);
engine.setOutputFormat(job.format || "text");

const texts = {};
const done = [];
(job.clusters || []).forEach((cluster, index) => {
  const id = `CITATION-${index + 1}`;
  const note = job.notes ? index + 1 : 0;
  const citation = {
    citationID: id,
    citationItems: cluster.map((cite) => {
      const out = { id: String(cite.id) };
      for (const key of ["locator", "label", "prefix", "suffix"]) {
        if (cite[key] !== undefined && cite[key] !== null && cite[key] !== "") {
          out[key] = String(cite[key]);
        }
      }
      return out;
    }),
    properties: { noteIndex: note },
  };
  const [, updates] = engine.processCitationCluster(citation, done.slice(), []);
  for (const [, text, citationID] of updates) {
    texts[citationID] = text;
  }
  done.push([id, note]);
});
process.stdout.write(
  JSON.stringify({ citations: done.map(([id]) => String(texts[id]).trim()) }) + "\n",
);
