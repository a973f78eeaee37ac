// Nothing the timer says or writes is a literal in a script: with the test-only
// pseudo-language (tests/pseudo.py: every phrase's letters made full-width),
// every line, once the content's own words are taken out, holds no ASCII letter.
import assert from "node:assert/strict";
import { test } from "node:test";
import { phrasebook } from "../../static/js/phrases.js";
import { awayText, doneText, leftText, whereText } from "../../static/js/timer/run.js";
import { buildSteps } from "../../static/js/timer/sequence.js";
import { load, update } from "../../static/js/timer/settings.js";
import { data, pseudo, settings } from "./routine.mjs";

const pseudoData = { ...data, phrases: pseudo };
const say = phrasebook(pseudo);
// The content's words (names, sides, cues, labels) and the names of settings a link or a form used.
const content = [data.cooldown.title, ...data.age_groups.map((g) => g.label), ...Object.keys(settings)];
for (const s of data.stretches) content.push(s.title, ...s.side_names, ...s.cues);
const literal = (text) => {
  let rest = text;
  for (const words of [...content].sort((a, b) => b.length - a.length)) rest = rest.replace(new RegExp(words.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), "");
  return /[A-Za-z]/.test(rest) ? text : null;
};
const variants = [{}, { walk: true, dose: "max" }, { age: "older", dose: "max", wait: true }, { ready: 0, switch: 0 }, { easier: true, mid: false }];

test("every spoken line and step label comes from the catalogue", () => {
  const lines = [];
  for (const changes of variants) {
    const steps = buildSteps(pseudoData, { ...settings, ...changes });
    for (const step of steps) lines.push(step.label, step.unit, ...step.say.map((s) => s.text), whereText(say, step, 12));
  }
  for (const seconds of [0, 1, 59, 60, 61, 600]) lines.push(doneText(say, seconds, seconds % 2), leftText(say, seconds));
  lines.push(...awayText(say, "Roll"), say("timer.paused"));
  lines.push(say("timer.plan", { stretches: say.count(1, "stretches"), time: "1:00" }), say("timer.plan", { stretches: say.count(4, "stretches"), time: "1:00" }));
  assert.ok(lines.length > 100);
  // The pseudo phrases really reached the script: the English one has letters left.
  assert.ok(buildSteps(data, settings).some((step) => step.say.some((s) => literal(s.text))));
  assert.deepEqual(lines.filter(Boolean).map(literal).filter(Boolean), []);
});

test("every note about settings comes from the catalogue", () => {
  const storage = (text) => ({ getItem: () => text, setItem() {}, removeItem() {} });
  const notes = [
    ...load(pseudoData, "?rate=3&speaker=", storage("{not json")).notes,
    ...load(pseudoData, "", storage(JSON.stringify({ age: "nobody", ready: -1 }))).notes,
    ...update(pseudoData, load(pseudoData, "", null).settings, { ready: "999", speaker: 5 }).notes,
  ];
  assert.equal(notes.length, 4);
  assert.deepEqual(notes.map(literal).filter(Boolean), []);
});
