import assert from "node:assert/strict";
import { test } from "node:test";
import { RATE, renderTrack } from "../../static/js/timer/track.js";
import { TONES } from "../../static/js/timer/tones.js";

const text = (bytes, at, n) => String.fromCharCode(...bytes.slice(at, at + n));
const u32 = (bytes, at) => new DataView(bytes.buffer).getUint32(at, true);
const u16 = (bytes, at) => new DataView(bytes.buffer).getUint16(at, true);
// Sample indexes where sound starts after at least 30 ms of silence.
function onsets(bytes) {
  const out = [];
  let last = -RATE;
  for (let i = 44; i < bytes.length; i++) {
    if (Math.abs(bytes[i] - 128) >= 2) {
      if (i - last >= 0.03 * RATE) out.push((i - 44) / RATE);
      last = i;
    }
  }
  return out;
}

test("a valid 8-bit mono WAV of the asked length", () => {
  const bytes = renderTrack([], 2.5);
  assert.equal(text(bytes, 0, 4), "RIFF");
  assert.equal(text(bytes, 8, 8), "WAVEfmt ");
  assert.equal(text(bytes, 36, 4), "data");
  assert.equal(u32(bytes, 4), bytes.length - 8);
  assert.deepEqual([u16(bytes, 20), u16(bytes, 22), u32(bytes, 24), u16(bytes, 34)], [1, 1, RATE, 8]);
  assert.equal(u32(bytes, 40), 2.5 * RATE);
  assert.ok(bytes.slice(44).every((b) => b === 128), "silence");
});

test("every tone starts at its time, to within 5 ms, and each beep of it too", () => {
  const tones = [{ at: 1, name: "start" }, { at: 4.25, name: "end" }, { at: 7.5, name: "switch" }, { at: 9, name: "tick" }];
  const found = onsets(renderTrack(tones, 10));
  const expected = tones.flatMap(({ at, name }) => TONES[name].map(([, offset]) => at + offset));
  assert.equal(found.length, expected.length, `${found}`);
  found.forEach((t, i) => assert.ok(Math.abs(t - expected[i]) <= 0.005, `${t} vs ${expected[i]}`));
});

test("a tone past the end is cut, not written beyond the buffer", () => {
  const bytes = renderTrack([{ at: 0.9, name: "start" }], 1);
  assert.equal(bytes.length, 44 + RATE);
});
