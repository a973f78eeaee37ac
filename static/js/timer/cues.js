// Hands-free cues: tones (Web Audio), speech, vibration and keeping the screen
// on. Every API is optional; whatever the browser lacks is simply skipped.

// Tone patterns: [frequency Hz, start s, length s]. Distinct by pitch and rhythm.
const TONES = {
  tick: [[660, 0, 0.12]],
  start: [[880, 0, 0.35]],
  end: [[784, 0, 0.15], [523, 0.2, 0.3]],
  switch: [[587, 0, 0.12], [587, 0.18, 0.12], [880, 0.36, 0.2]],
};
const BUZZ = { tick: 40, start: 250, end: [120, 60, 120], switch: [60, 40, 60, 40, 60] };

export function createCues() {
  let audio = null;
  let lock = null;
  let wanted = false;
  const options = { sound: true, voice: true };
  const speech = globalThis.speechSynthesis;

  async function keepAwake() {
    if (!wanted || lock || document.visibilityState !== "visible" || !navigator.wakeLock) return;
    try {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => (lock = null));
    } catch {
      lock = null; // refused (battery saver, no permission): the timer works anyway
    }
  }
  // The browser drops the lock whenever the page is hidden; take it again on return.
  document.addEventListener("visibilitychange", keepAwake);

  return {
    options,
    // Called from the Start tap: iOS only lets audio and speech begin inside a user gesture.
    unlock() {
      const Context = globalThis.AudioContext;
      try {
        audio = audio || (Context && new Context());
        if (audio && audio.state === "suspended") audio.resume();
      } catch {
        audio = null;
      }
      if (speech && options.voice) speech.speak(new SpeechSynthesisUtterance(""));
    },
    tone(name) {
      if (options.sound && audio && audio.state === "running") {
        const t0 = audio.currentTime + 0.01;
        for (const [hz, at, length] of TONES[name]) {
          const osc = audio.createOscillator();
          const gain = audio.createGain();
          osc.frequency.value = hz;
          // Quick fade in and out: no clicks at the edges of the beep.
          gain.gain.setValueAtTime(0.0001, t0 + at);
          gain.gain.exponentialRampToValueAtTime(0.4, t0 + at + 0.02);
          gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + length);
          osc.connect(gain).connect(audio.destination);
          osc.start(t0 + at);
          osc.stop(t0 + at + length + 0.05);
        }
      }
      if (options.sound && navigator.vibrate) navigator.vibrate(BUZZ[name]);
    },
    say(text) {
      if (!speech) return;
      speech.cancel(); // a stale announcement must never talk over the current one
      if (options.voice && text) speech.speak(new SpeechSynthesisUtterance(text));
    },
    awake(on) {
      wanted = on;
      if (on) keepAwake();
      else if (lock) lock.release().catch(() => {}), (lock = null);
    },
  };
}
