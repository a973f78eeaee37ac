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
// The content's words (names, sides, cues, labels). Not the names of settings as a
// link spells them (`ready`): a note says them in words.
const content = [data.cooldown.title, ...data.age_groups.map((g) => g.label)];
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
    ...load(pseudoData, "?dose=some&walk=maybe&switch=-1&wait=2&sound=x&voice=x&mid=x&track=x&easier=x", null).notes,
  ];
  assert.equal(notes.length, 5);
  assert.deepEqual(notes.map(literal).filter(Boolean), []);
});

test("the habit line, the history file's errors and the reminder come from the catalogue", async () => {
  const { habitText, importText } = await import("../../static/js/habit/history.js");
  const { reminderIcs } = await import("../../static/js/habit/ics.js");
  const now = new Date(2026, 10, 25, 12);
  const entry = (date) => ({ at: `${date}T10:00:00.000Z`, date, seconds: 600, age: "young", stretches: ["roll"] });
  const lines = [habitText(say, [], now), habitText(say, [entry("2026-11-25")], now), habitText(say, ["2026-11-23", "2026-11-24", "2026-11-25"].map(entry), now)];
  for (const file of ["{not json", JSON.stringify({ format: "other" }), JSON.stringify({ format: "after-the-run-history", entries: [{}] })]) {
    assert.throws(() => importText(say, file), (error) => Boolean(lines.push(error.message)));
  }
  const reminder = { days: ["MO"], time: "18:30", url: "https://example.org/timer/", host: "example.org", now };
  for (const bad of [{ days: [] }, { time: "6pm" }]) assert.throws(() => reminderIcs(say, { ...reminder, ...bad }), (error) => Boolean(lines.push(error.message)));
  // What a calendar shows of the event: its title and note (the link is the page's own).
  const ics = reminderIcs(say, reminder).replace(/\r\n /g, "");
  lines.push(...ics.split("\r\n").filter((l) => /^(SUMMARY|DESCRIPTION):/.test(l)).map((l) => l.replace(/^\w+:/, "").replace(reminder.url, "").replace(/\\n/g, " ")));
  assert.equal(lines.length, 11); // 3 habit lines, 3 file errors, 2 reminder errors, the title and 2 notes
  assert.deepEqual(lines.map(literal).filter(Boolean), []);
});

test("what a coach's link leaves out, and names it does not know, come from the catalogue", async () => {
  // The few DOM calls timer-prefs.js makes, on plain objects.
  const views = {};
  globalThis.document = {
    querySelector: (selector) => (views[selector] ??= { hidden: false, textContent: "" }),
    querySelectorAll: () => [],
    addEventListener() {},
    documentElement: { dataset: {} },
  };
  globalThis.location = { search: "", pathname: "/timer/", hash: "" }; // choices.js reads the page's own
  const { showLinkChoices } = await import("../../static/js/timer-prefs.js");
  showLinkChoices(pseudoData, "?have=table&skip=rock,nonsense");
  const shown = Object.values(views).map((v) => v.textContent).filter(Boolean);
  assert.equal(shown.length, 2);
  content.push("table", "nonsense", ...data.equipment.map((e) => e.name));
  assert.deepEqual(shown.map(literal).filter(Boolean), []);
});

test("the plural rule is the catalogue's data, as in Python (Phrases.unit)", () => {
  const english = phrasebook(data.phrases);
  assert.deepEqual([0, 1, 2].map((n) => english.count(n, "rounds")), ["0 rounds", "1 round", "2 rounds"]);
  const zeroIsOne = phrasebook({ ...data.phrases, "plural.one": "0,1" }); // as in French
  assert.deepEqual([0, 1, 2].map((n) => zeroIsOne.count(n, "rounds")), ["0 round", "1 round", "2 rounds"]);
});
