// The tones, as data: [frequency Hz, start s, length s] per beep. Distinct by
// pitch and rhythm. Web Audio (sound.js) and the cue track (track.js) both
// play them from here, so a tone sounds the same on screen and off.
export const TONES = {
  tick: [[660, 0, 0.12]],
  start: [[880, 0, 0.35]],
  end: [[784, 0, 0.15], [523, 0.2, 0.3]],
  switch: [[587, 0, 0.12], [587, 0.18, 0.12], [880, 0.36, 0.2]],
};

// Seconds from a tone's start to the end of its last beep.
export const toneLength = (name) => Math.max(...TONES[name].map(([, at, length]) => at + length));
