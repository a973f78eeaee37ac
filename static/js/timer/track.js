// The cue track: the routine's tones rendered into a WAV file, so an <audio>
// element can keep them coming, each at its time, while the screen is off and
// JavaScript timers are stopped. Pure: tones in, bytes out (node --test).
import { TONES } from "./tones.js";

export const RATE = 8000; // samples per second: the tones stay well below 4 kHz

// 8-bit mono PCM WAV of `seconds`, with each {at, name} tone at `at` seconds.
export function renderTrack(tones, seconds) {
  const n = Math.max(1, Math.ceil(seconds * RATE));
  const bytes = new Uint8Array(44 + n).fill(128, 44); // 128 is silence
  const view = new DataView(bytes.buffer);
  const text = (at, s) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF"), view.setUint32(4, 36 + n, true), text(8, "WAVEfmt ");
  [[16, 16, 4], [20, 1, 2], [22, 1, 2], [24, RATE, 4], [28, RATE, 4], [32, 1, 2], [34, 8, 2], [40, n, 4]].forEach(([at, v, size]) => (size === 4 ? view.setUint32(at, v, true) : view.setUint16(at, v, true)));
  text(36, "data");
  const fade = 0.01 * RATE; // no clicks at the edges of a beep
  for (const { at, name } of tones) {
    for (const [hz, offset, length] of TONES[name]) {
      const first = Math.round((at + offset) * RATE);
      const count = Math.round(length * RATE);
      for (let k = 0; k < count && first + k < n; k++) {
        const envelope = Math.min(1, k / fade, (count - k) / (3 * fade));
        bytes[44 + first + k] = 128 + Math.round(100 * envelope * Math.sin((2 * Math.PI * hz * k) / RATE));
      }
    }
  }
  return bytes;
}

// Every tone from `from` to `to` seconds into the routine, at its time.
export function toneTimes(steps, from = 0, to = Infinity) {
  const out = [];
  for (const step of steps) for (const t of step.tones) {
    const at = step.start + t.at;
    if (at >= from && at < to) out.push({ at, name: t.name });
  }
  return out;
}
