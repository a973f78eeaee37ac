// The one owner of every sound. Speech and tones go through one queue: a tone
// never starts while the voice speaks, an announcement is never cut off by the
// next one, and optional tones (the 3-2-1 ticks) are dropped when there is no
// room for them; words never are. Loaded on the first tap.
import { speechSeconds } from "./sequence.js";
import { TONES, toneLength } from "./tones.js";

const BUZZ = { tick: 40, start: 250, end: [120, 60, 120], switch: [60, 40, 60, 40, 60] };
const BREATH = 250; // ms of silence after a tone or phrase

export function createSound(options) {
  const speech = globalThis.speechSynthesis;
  const queue = [];
  let audio = null;
  let speaking = null;
  let quietUntil = 0;
  let wake = 0;
  let idle = [];

  function beep(name) {
    if (options.muted()) return; // the cue track plays the tones (page hidden)
    if (audio && audio.state === "running") {
      const t0 = audio.currentTime + 0.01;
      for (const [hz, at, length] of TONES[name]) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.0001, t0 + at); // quick fade in and out: no clicks
        gain.gain.exponentialRampToValueAtTime(0.4, t0 + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + length);
        osc.connect(gain).connect(audio.destination);
        osc.start(t0 + at);
        osc.stop(t0 + at + length + 0.05);
      }
    }
    if (navigator.vibrate) navigator.vibrate(BUZZ[name]);
  }

  function speak(text) {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.rate = options.rate;
    utterance.lang = document.documentElement.lang;
    const voice = options.voice && speech.getVoices().find((v) => v.name === options.voice);
    if (voice) utterance.voice = voice;
    let fallback = 0;
    const done = () => {
      clearTimeout(fallback);
      if (speaking !== utterance) return;
      speaking = null;
      quietUntil = Date.now() + BREATH;
      pump();
    };
    utterance.addEventListener("end", done);
    utterance.addEventListener("error", done);
    // A browser that never reports the end: go on once it says it is silent,
    // checked from the estimate on, and at the latest at three times the estimate.
    const estimate = speechSeconds(text, options.rate) * 1000;
    const deadline = Date.now() + 3 * estimate + 2000;
    const check = () => (speech.speaking && Date.now() < deadline ? (fallback = setTimeout(check, 250)) : done());
    fallback = setTimeout(check, estimate + 500);
    speaking = utterance; // also keeps it from being garbage-collected before "end"
    speech.speak(utterance);
  }

  function pump() {
    clearTimeout(wake);
    if (speaking) return;
    const wait = quietUntil - Date.now();
    if (wait > 0 && queue.length) return void (wake = setTimeout(pump, wait));
    const item = queue.shift();
    if (!item) return void (wait <= 0 ? settle() : (wake = setTimeout(pump, wait)));
    if (item.tone) {
      beep(item.tone);
      quietUntil = Date.now() + toneLength(item.tone) * 1000 + BREATH;
    } else speak(item.text);
    pump();
  }

  function settle() {
    const waiting = idle;
    idle = [];
    waiting.forEach((f) => f());
  }

  const busy = () => !!speaking || queue.length > 0 || Date.now() < quietUntil;

  return {
    busy,
    // Run `f` once nothing is being said or played (now, if nothing is).
    whenQuiet(f) {
      if (busy()) idle.push(f), pump();
      else f();
    },
    say(text) {
      if (speech && options.speak() && text) queue.push({ text }), pump();
    },
    tone(name, optional) {
      if (!options.sound()) return;
      if (optional && busy()) return; // no room for a tick: drop it
      queue.push({ tone: name });
      pump();
    },
    // Pause, restart, a jump: what was queued no longer applies.
    stop() {
      queue.length = 0;
      idle = [];
      quietUntil = 0;
      if (speaking) (speaking = null), speech.cancel();
      clearTimeout(wake);
    },
    // On every start, resume and return to the page: an interruption (a call,
    // another app's audio, a locked screen) suspends the audio context.
    wake() {
      if (audio && audio.state !== "running") audio.resume().catch(() => {});
    },
    set audio(context) {
      audio = context;
    },
  };
}
