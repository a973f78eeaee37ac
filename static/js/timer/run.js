// A routine in progress: the clock, the steps' tones and words at their times,
// pauses, "wait for me", interruptions, the finish. Loaded on the first tap
// with the sound, the wake lock, the cue track and Media Session.
import { createClock } from "./clock.js";
import { createCueTrack } from "./cuetrack.js";
import { createMediaSession } from "./media.js";
import { clearProgress, saveProgress } from "./settings.js";
import { spoken, stepAt } from "./sequence.js";
import { createSound } from "./sound.js";
import { createWakeLock } from "./wakelock.js";

const LATE = 2; // s: a step boundary noticed later than this was not heard live

// Events of a step in time order: a tone before words at the same moment.
const events = (step) => [...step.tones, ...step.say].sort((a, b) => a.at - b.at || !!a.text - !!b.text);
// How many of a step's events lie behind `pos`: skipped when it is joined mid-way.
const behind = (step, pos) => events(step).filter((e) => step.start + e.at < pos - 0.05).length;

// "1 minute 5 seconds", "10 minutes", "0 seconds".
export const durationWords = (say, seconds) => {
  const s = Math.round(seconds);
  const [minutes, rest] = [Math.floor(s / 60), s % 60];
  if (minutes && rest) return say("timer.duration", { minutes: say.count(minutes, "minutes"), seconds: say.count(rest, "seconds") });
  return minutes ? say.count(minutes, "minutes") : say.count(rest, "seconds");
};

// The lines said outside the steps' plan (sequence.js says the rest).
export const leftText = (say, s) => spoken(say, "left", { seconds: say.count(s, "seconds") });
// The finish, after "Release." when the routine ended on a hold.
export function doneText(say, seconds, released) {
  const done = spoken(say, "done", { time: durationWords(say, seconds) });
  return released ? say("timer.say.then", { first: spoken(say, "release"), then: done }) : done;
}
// A run stopped while the page was away: what is shown, and what is said.
export const awayText = (say, title) => [say("timer.away"), spoken(say, "away", { away: say("timer.away"), title })];

// Where the runner is, in words: said on resume and on return to the page.
export function whereText(say, step, left) {
  return say("timer.say.where", { where: step.where, step: step.label, left: leftText(say, Math.max(1, Math.ceil(left))) });
}

// page: {view, say, settings(), storage, audio, element, show(steps), emit, figure(slug), setState(name)}
export function createRun(page) {
  const { view, say: phrase } = page;
  const clock = createClock();
  const track = createCueTrack(page.element);
  const settings = page.settings;
  const sound = createSound({
    muted: () => document.visibilityState === "hidden" && track.carried(), // the track plays them
    sound: () => settings().sound,
    speak: () => settings().voice,
    get rate() {
      return settings().rate;
    },
    get voice() {
      return settings().speaker;
    },
  });
  sound.audio = page.audio;
  const wakeLock = createWakeLock();
  const media = createMediaSession({ title: document.title, icon: document.querySelector("link[rel=icon]").href, figure: page.figure }, (name) => page.act(name));
  let steps = [];
  let total = 0;
  let state = "idle";
  let current = -1;
  let fired = 0;
  let timer = 0;
  let saved = 0;
  let away = null; // the step the runner was on when the page went away
  let voiceHold = false; // running, but the clock waits at a step boundary for the voice

  const position = () => Math.min(clock.position(), total) / 1000;
  const running = () => state === "running";
  // The screen reader hears only what the voice does not say: nothing twice.
  const tell = (text) => !settings().voice && view.announce(text);
  const say = (text) => (sound.say(text), tell(text));
  const left = (step) => step.start + step.duration - position();
  const trackUntil = (pos) => (steps.find((s) => s.wait && s.start > pos) || { start: total / 1000 }).start;

  function setState(next) {
    state = next;
    page.setState(next);
    wakeLock.set(next === "running");
    media.state(next);
    if (next !== "running") track.stop(), (voiceHold = false);
  }

  function enter(i) {
    current = i;
    fired = 0;
    view.show(steps, i);
    media.show(steps[i]);
    if (away) away.index = i; // entered live while hidden: nothing was missed
    remember();
    page.emit("step", { index: i, ...steps[i] });
  }

  // Play the current step's tones and words whose time has come. Ones long
  // overdue (a throttled or hidden page) are stale: say where the runner is instead.
  function fire(pos) {
    const step = steps[current];
    const list = events(step);
    let stale = false;
    while (fired < list.length && step.start + list[fired].at <= pos + 0.02) {
      const e = list[fired++];
      if (pos - step.start - e.at > LATE) stale = stale || !!e.text;
      else if (e.text) say(e.text);
      else sound.tone(e.name, e.optional);
    }
    if (stale) say(whereText(phrase, step, left(step)));
  }

  function render() {
    const pos = position();
    const i = Math.min(stepAt(steps, pos), steps.length - 1);
    if (i !== current && current >= 0) view.show(steps, i);
    view.time(left(steps[i]), steps[i].duration, total / 1000 - pos, total / 1000);
  }

  // One beat of the running routine: called when the next thing is due.
  function frame() {
    clearTimeout(timer);
    if (!running() || voiceHold) return render();
    const pos = position();
    const i = stepAt(steps, pos);
    if (i !== current) {
      const boundary = current < 0 ? 0 : steps[current].start + steps[current].duration;
      if (current >= 0 && pos - boundary > LATE) return interrupted(i);
      if (current >= 0 && sound.busy()) return waitForVoice(boundary);
      if (i >= steps.length) return finish(true);
      enter(i);
      if (steps[i].wait) return waitForRunner();
    }
    fire(pos);
    render();
    if (pos - saved >= 5) remember();
    // Wake for the next event, the step's end or the next whole second on the display.
    const step = steps[current];
    const next = events(step)[fired];
    const end = step.start + step.duration;
    const until = Math.min(next ? step.start + next.at : end, end, pos + ((end - pos) % 1 || 1));
    timer = setTimeout(frame, Math.max(10, (until - pos) * 1000 + 5));
  }

  // The voice is still speaking as a step ends: the next step waits for it.
  function waitForVoice(boundary) {
    clock.seek(boundary * 1000);
    clock.pause();
    track.stop();
    voiceHold = true;
    render();
    sound.whenQuiet(() => {
      if (voiceHold && running()) (voiceHold = false), go();
    });
  }

  // "Wait for me": the announcement, then nothing until a tap or the play button.
  function waitForRunner() {
    clock.pause();
    setState("waiting");
    for (const e of steps[current].say) say(e.text);
    render();
  }

  // Back after the page was hidden, frozen or throttled past a step boundary.
  // With the cue track playing all along the runner heard the tones: say where
  // they are. Otherwise stop at the start of the interrupted step, and say why.
  function interrupted(i) {
    const from = away ? away.index : current;
    away = null;
    if (i < steps.length && track.carried()) {
      enter(i);
      fired = behind(steps[i], position());
      say(whereText(phrase, steps[i], left(steps[i])));
      return frame();
    }
    clock.seek(steps[from].start * 1000);
    clock.pause();
    setState("paused");
    enter(from);
    render();
    const [why, words] = awayText(phrase, steps[from].title);
    view.alert(why);
    sound.say(words);
    view.announce(why); // shown and said: the screen reader hears it whether the voice is on or not
  }

  function finish(live) {
    if (state === "finished") return;
    // Back long after the end (hidden tab): count the routine, not the wait.
    const spent = (clock.spent() - Math.max(0, clock.position() - total)) / 1000;
    clock.pause();
    clearTimeout(timer);
    setState("finished");
    view.finish(spent);
    clearProgress(page.storage);
    if (live) sound.tone("end");
    say(doneText(phrase, spent, steps.at(-1).kind === "hold"));
    const s = settings();
    const done = [...new Set(steps.filter((x) => x.slug).map((x) => x.slug))];
    page.emit("finish", { spent, total: total / 1000, age: s.age, dose: s.dose, easier: s.easier, walk: s.walk, stretches: done });
  }

  // Keep the clock and the cue track going from where they are.
  function go() {
    clock.start();
    if (settings().track) track.play(steps, position(), trackUntil(position()));
    frame();
  }

  function remember() {
    saved = position();
    if (state !== "idle" && state !== "finished") saveProgress(page.storage, settings(), saved);
  }

  function seekStep(i) {
    if (state === "idle" || state === "finished") return;
    sound.stop();
    if (i >= steps.length) return clock.seek(total), finish(true);
    clock.seek(steps[Math.max(0, i)].start * 1000);
    voiceHold = false;
    if (state === "waiting") setState("running");
    if (running()) (current = -1), go(); // re-entered, even the same step: announced again
    else enter(Math.max(0, i)), render();
  }

  // Hidden, frozen: note where the runner was. Back: wake the audio and the
  // screen lock; frame() then sees any boundary passed while away.
  function leave() {
    if (running() && !away) away = { index: current };
    if (state !== "idle" && state !== "finished") remember();
  }
  function back() {
    if (document.visibilityState !== "visible") return;
    sound.wake();
    wakeLock.retake();
    if (running()) frame();
    away = null;
  }
  document.addEventListener("visibilitychange", () => (document.visibilityState === "hidden" ? leave() : back()));
  document.addEventListener("freeze", leave);
  document.addEventListener("resume", back);
  window.addEventListener("pagehide", leave);

  return {
    get state() {
      return state;
    },
    reset(next) {
      clearTimeout(timer);
      sound.stop();
      steps = next;
      total = (steps.at(-1).start + steps.at(-1).duration) * 1000;
      current = -1;
      clock.reset();
      setState("idle");
      view.show(steps, 0);
      render();
    },
    // Start, resume, or go on after "wait for me" (a tap, Space or the play button).
    // `at`: a routine position (s) to start from, for a resumed run.
    play(at) {
      if (running() || state === "finished") return;
      sound.wake();
      const was = state;
      if (at) clock.seek(at * 1000);
      if (was === "waiting") clock.seek((steps[current].start + steps[current].duration) * 1000);
      setState("running");
      if (was === "paused" || at) {
        current = stepAt(steps, position());
        view.show(steps, current);
        media.show(steps[current]);
        fired = behind(steps[current], position());
        view.alert("");
        say(whereText(phrase, steps[current], left(steps[current]))); // resume names the step again
      } else current = -1;
      go();
    },
    pause() {
      if (!running() && state !== "waiting") return;
      clock.pause();
      remember();
      sound.stop();
      setState("paused");
      tell(phrase("timer.paused"));
    },
    prev: () => seekStep(stepAt(steps, position()) - 1),
    next: () => seekStep(stepAt(steps, position()) + 1),
  };
}
