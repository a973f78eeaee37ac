import assert from "node:assert/strict";
import { mock, test } from "node:test";

// The browser's speech and audio, recorded, on mocked time.
mock.timers.enable({ apis: ["setTimeout", "Date"] });
const log = [];
class Utterance extends EventTarget {
  constructor(text) {
    super();
    this.text = text;
  }
}
globalThis.SpeechSynthesisUtterance = Utterance;
globalThis.document = { documentElement: { lang: "en" }, visibilityState: "visible" };
globalThis.navigator = {};
globalThis.speechSynthesis = {
  reportsEnd: true,
  speaking: false,
  getVoices: () => [],
  speak(u) {
    const entry = { say: u.text, t: Date.now() };
    log.push(entry);
    this.speaking = true;
    const ms = u.text.split(" ").length * 600; // slower than the planner's estimate
    setTimeout(() => {
      entry.end = Date.now();
      this.speaking = false;
      if (this.reportsEnd) u.dispatchEvent(new Event("end"));
    }, ms);
  },
  cancel() {
    log.push({ cancel: true, t: Date.now() });
  },
};
const audio = {
  state: "running",
  currentTime: 0,
  destination: {},
  resume: async () => {},
  createGain: () => ({ gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (x) => x }),
  createOscillator: () => ({ frequency: {}, connect: (g) => g, start() { log.push({ tone: this.frequency.value, t: Date.now() }); }, stop() {} }),
};
const { createSound } = await import("../../static/js/timer/sound.js");
// Node 20's mocked clock runs a timer set by another timer only on a later tick.
const run = (ms) => {
  for (let t = 0; t < ms; t += 10) mock.timers.tick(10);
};
const options = { muted: () => false, sound: () => true, speak: () => true, rate: 1, voice: "" };

function fresh() {
  log.length = 0;
  const sound = createSound(options);
  sound.audio = audio;
  return sound;
}

test("a tone asked for while the voice speaks waits for the end of the phrase", () => {
  const sound = fresh();
  sound.say("Next: a long name for a stretch.");
  sound.tone("start");
  run(10_000);
  const [say, tone] = log;
  assert.ok(tone.t >= say.end, JSON.stringify(log));
});

test("a tick with no room is dropped; words never are, nor cut off", () => {
  const sound = fresh();
  sound.say("One two three.");
  sound.tone("tick", true);
  sound.say("Four five.");
  run(10_000);
  assert.deepEqual(log.map((e) => e.say || e.tone || "cancel"), ["One two three.", "Four five."]);
  assert.ok(log[1].t >= log[0].end);
});

test("a browser that never reports the end: the next phrase comes once it is silent", () => {
  const sound = fresh();
  speechSynthesis.reportsEnd = false;
  sound.say("One two three four five six seven eight.");
  sound.say("Four.");
  run(20_000);
  speechSynthesis.reportsEnd = true;
  assert.equal(log.length, 2);
  assert.ok(log[1].t >= log[0].end, JSON.stringify(log));
});

test("a browser that reports neither the end nor speaking: three times the estimate at most", () => {
  const sound = fresh();
  speechSynthesis.reportsEnd = false;
  const speak = speechSynthesis.speak;
  speechSynthesis.speak = function (u) {
    log.push({ say: u.text, t: Date.now() });
    this.speaking = true; // stuck, as some engines are
  };
  sound.say("One two.");
  sound.say("Three.");
  run(20_000);
  Object.assign(speechSynthesis, { speak, reportsEnd: true, speaking: false });
  assert.equal(log.length, 2);
  assert.ok(log[1].t - log[0].t <= 3 * 1340 + 2500, JSON.stringify(log)); // 1.34 s: the estimate
});

test("whenQuiet waits for the queue to empty; stop() cancels the voice and the queue", () => {
  const sound = fresh();
  let quiet = 0;
  sound.say("Hello there runner.");
  sound.whenQuiet(() => quiet++);
  assert.equal(quiet, 0);
  run(10_000);
  assert.equal(quiet, 1);
  sound.say("Something long enough to be cut.");
  sound.say("Never said.");
  sound.stop();
  run(10_000);
  assert.equal(log.filter((e) => e.say === "Never said.").length, 0);
  assert.ok(log.some((e) => e.cancel));
  assert.equal(sound.busy(), false);
});

test("no sound, no voice: nothing plays and nothing waits", () => {
  const sound = createSound({ ...options, sound: () => false, speak: () => false });
  sound.audio = audio;
  log.length = 0;
  sound.say("Hi.");
  sound.tone("start");
  assert.equal(log.length, 0);
  assert.equal(sound.busy(), false);
});
