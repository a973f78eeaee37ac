import assert from "node:assert/strict";
import { test } from "node:test";
import { checked, clearProgress, load, loadProgress, saveProgress, update } from "../../static/js/timer/settings.js";
import { data } from "./routine.mjs";

function memory(initial = {}) {
  const items = { ...initial };
  return { items, getItem: (k) => items[k] ?? null, setItem: (k, v) => (items[k] = String(v)), removeItem: (k) => delete items[k] };
}

test("the gap limits come from the routine data, not from the script", () => {
  assert.equal(update(data, load(data, "", null).settings, { ready: "60" }).settings.ready, 60);
  assert.equal(update(data, load(data, "", null).settings, { ready: "61" }).notes.length, 1);
  const wider = { ...data, limits: { ...data.limits, gap: [0, 90] } };
  assert.equal(update(wider, load(wider, "", null).settings, { ready: "90" }).settings.ready, 90);
  assert.deepEqual(update(wider, load(wider, "", null).settings, { ready: "90" }).notes, []);
});

test("speaking rate within the limits, a voice by name, flags", () => {
  const { settings, notes } = load(data, "?rate=1.25&speaker=Some%20Voice&wait=1&mid=0&track=off", null);
  assert.deepEqual(notes, []);
  assert.deepEqual([settings.rate, settings.speaker, settings.wait, settings.mid, settings.track], [1.25, "Some Voice", true, false, false]);
  assert.equal(load(data, "?rate=3", null).settings.rate, 1);
  assert.match(load(data, "?rate=3", null).notes[0], /rate/);
});

test("a saved run's settings are checked again, defaults for the rest", () => {
  const s = checked(data, { age: "older", ready: 999, rate: "x" });
  assert.equal(s.age, "older");
  assert.equal(s.ready, data.timer.get_ready);
  assert.equal(s.rate, 1);
});

test("progress is saved, read back and cleared; junk reads as none", () => {
  const storage = memory();
  assert.equal(loadProgress(storage), null);
  saveProgress(storage, { age: "older" }, 312.5);
  assert.equal(loadProgress(storage).position, 312.5);
  clearProgress(storage);
  assert.equal(loadProgress(storage), null);
  for (const junk of ["{", "42", '{"settings": 1, "position": 3}', '{"settings": {}, "position": "x"}']) {
    assert.equal(loadProgress(memory({ "stretchsite:timer-progress": junk })), null, junk);
  }
  assert.equal(loadProgress(null), null);
  saveProgress(null, {}, 1); // no storage: nothing thrown
});
