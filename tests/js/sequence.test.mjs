import assert from "node:assert/strict";
import { test } from "node:test";
import { phrasebook } from "../../static/js/phrases.js";
import { buildSteps, nextOf, speechSeconds, stepAt } from "../../static/js/timer/sequence.js";
import { doneText, durationWords, whereText } from "../../static/js/timer/run.js";
import { toneTimes } from "../../static/js/timer/track.js";
import { toneLength } from "../../static/js/timer/tones.js";
import { data, settings } from "./routine.mjs";

const say = phrasebook(data.phrases);
// The English script, word for word (stretchsite/phrases.py).
const SAY = {
  release: "Release.",
  halfway: "Halfway.",
  ten: "10 seconds left.",
  wait: "Tap, or press play, when you are in position.",
  switch: (side) => `Switch sides: ${side}.`,
  hold: (seconds) => `Hold, ${seconds} seconds.`,
  walk: (title, minutes) => `${title}. ${minutes} minutes of easy walking.`,
};

const build = (changes = {}) => buildSteps(data, { ...settings, ...changes });
const said = (step) => step.say.map((s) => s.text);
// Seconds each planned phrase occupies, by the planner's own measure.
const spans = (step, rate = 1) => step.say.map((s) => [s.at, s.at + speechSeconds(s.text, rate)]);

for (const changes of [{}, { dose: "max" }, { age: "older", dose: "max" }, { ready: 0, switch: 0 }, { ready: 1, switch: 1, rate: 0.8 }, { easier: true, dose: "max" }]) {
  test(`no planned words overlap, and none runs past its step: ${JSON.stringify(changes)}`, () => {
    for (const step of build(changes)) {
      const s = spans(step, changes.rate || 1);
      for (let i = 1; i < s.length; i++) assert.ok(s[i][0] >= s[i - 1][1], `${step.title}: ${said(step)}`);
      // A gap lasts at least as long as what is said in it; a hold may not, when
      // its gap was left out, and then the timer waits for the voice.
      if (step.kind !== "hold") assert.ok(s.length === 0 || s.at(-1)[1] <= step.duration, `${step.kind} ${step.title} ${step.duration}`);
      // No tone is planned while a phrase is said.
      for (const tone of step.tones) for (const [a, b] of s) assert.ok(tone.at + toneLength(tone.name) <= a || tone.at >= b, `${tone.name} at ${tone.at} over ${said(step)}`);
    }
  });
}

test("a new stretch gets time to move: more when the equipment changes, its own when it says", () => {
  const gaps = build({ ready: 0 }).filter((s) => s.kind === "ready");
  const first = (slug) => gaps.find((s) => s.slug === slug);
  assert.equal(first("roll").duration, 20); // from nothing to a roller
  assert.equal(first("lift").duration, 20); // roller away
  assert.equal(first("rock").duration, 10); // same floor
  assert.equal(first("lean").duration, 45); // its own into_position
  assert.equal(gaps.filter((s) => s.slug === "lift").length, 1, "no gap between reps with ready 0");
  assert.equal(build({ ready: 30 }).find((s) => s.slug === "rock").duration, 30, "a longer get-ready gap wins");
});

test("leaving a stretch out: the equipment change is judged on what is left", () => {
  const steps = build({ include: ["roll", "rock"] });
  assert.deepEqual([...new Set(steps.map((s) => s.slug))], ["roll", "rock"]);
  assert.equal(steps.find((s) => s.slug === "rock").duration, 20);
});

test("each new stretch is announced with its dose, side and first cue; further cues follow in its holds", () => {
  const steps = build({ dose: "max" });
  const text = steps.flatMap(said);
  assert.ok(text.includes("Next: Roll. 3 rounds."));
  assert.ok(text.includes("Next: Lean. 2 sets, each side."));
  assert.ok(text.includes("Right leg first."));
  assert.ok(text.includes("Switch sides: left leg."));
  assert.ok(text.includes("Rep 5 of 5, last rep."));
  assert.ok(text.includes("Round 3 of 3, last round."));
  for (const s of data.stretches) for (const cue of s.cues) assert.equal(text.filter((t) => t === cue).length, 1, cue);
  assert.equal(text.filter((t) => t === SAY.release).length, steps.filter((s) => s.kind === "hold").length - 1);
});

test("cues that do not fit a short hold wait for the next one", () => {
  const text = build({ easier: true, dose: "max" }).filter((s) => s.slug === "lift").flatMap(said); // 10 s holds
  for (const cue of data.stretches[1].cues) assert.ok(text.includes(cue), cue);
});

test("halfway and 10 seconds left only in holds of 30 s or more, and only when asked for", () => {
  const count = (steps, text) => steps.flatMap(said).filter((t) => t === text).length;
  const holds = build().filter((s) => s.kind === "hold").length;
  assert.equal(count(build(), SAY.halfway), holds);
  assert.equal(count(build(), SAY.ten), holds);
  assert.equal(count(build({ mid: false }), SAY.halfway), 0);
  const easy = build({ easier: true });
  assert.equal(count(easy, SAY.halfway), easy.filter((s) => s.kind === "hold" && s.duration >= 30).length);
  const hold = build().find((s) => s.kind === "hold");
  assert.deepEqual(hold.say.find((s) => s.text === SAY.halfway).at, 15);
});

test("ticks only where nothing is said, and the tones mark each hold's start and end", () => {
  const steps = build();
  for (const step of steps) {
    const ticks = step.tones.filter((t) => t.name === "tick");
    if (step.kind === "hold") assert.equal(ticks.length, 0);
    for (const t of ticks) assert.equal(t.optional, true);
  }
  const tones = toneTimes(steps);
  for (const [i, step] of steps.entries()) {
    if (step.kind !== "hold") continue;
    assert.ok(tones.some((t) => t.name === "start" && t.at === step.start));
    const next = steps[i + 1];
    if (next) assert.ok(tones.some((t) => (t.name === "end" || t.name === "switch") && t.at === next.start));
  }
});

test("a gap of 0 s moves its words into the hold, after the end and start tones", () => {
  const steps = build({ ready: 0, switch: 0 });
  const second = steps.filter((s) => s.slug === "lean" && s.kind === "hold")[1];
  assert.deepEqual(second.tones.map((t) => t.name), ["switch", "start"]);
  assert.deepEqual(said(second).slice(0, 3), [SAY.release, SAY.switch("left leg"), SAY.hold(30)]);
  assert.ok(second.say[0].at >= second.tones[1].at + toneLength("start"));
});

test("wait for me: each new stretch waits, says so, and counts nothing down", () => {
  const waits = build({ wait: true, ready: 0 }).filter((s) => s.wait);
  assert.equal(waits.length, data.stretches.length);
  for (const step of waits) {
    assert.equal(said(step).at(-1), SAY.wait);
    assert.equal(step.tones.filter((t) => t.name === "tick").length, 0);
  }
});

test("the walk comes first, with its own words", () => {
  const [walk] = build({ walk: true });
  assert.equal(walk.kind, "walk");
  assert.equal(walk.duration, 180);
  assert.deepEqual(said(walk), [SAY.walk("Walk first", 3)]);
});

test("a one-minute walk is said in the singular", () => {
  const [walk] = buildSteps({ ...data, cooldown: { title: "Walk first", minutes: 1 } }, { ...settings, walk: true });
  assert.deepEqual(said(walk), ["Walk first. 1 minute of easy walking."]);
});

test("positions, next steps and words for times", () => {
  const steps = build();
  const end = steps.at(-1).start + steps.at(-1).duration;
  assert.equal(stepAt(steps, 0), 0);
  assert.equal(stepAt(steps, steps[1].start), 1);
  assert.equal(stepAt(steps, end), steps.length);
  assert.equal(nextOf(steps, 0).kind, "hold");
  assert.equal(nextOf(steps, steps.length - 1), null);
  assert.equal(whereText(say, steps[1], 12.2), "Roll. Hold, 13 seconds left.");
  assert.equal(durationWords(say, 61), "1 minute 1 second");
  assert.equal(durationWords(say, 600), "10 minutes");
  assert.equal(durationWords(say, 0), "0 seconds");
  assert.equal(doneText(say, 61, true), "Release. Routine done. Total time 1 minute 1 second.");
  assert.equal(doneText(say, 600, false), "Routine done. Total time 10 minutes.");
});
