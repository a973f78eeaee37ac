// Wires the timer together: settings -> steps -> clock -> view and cues.
import { createClock } from "./clock.js";
import { createCues } from "./cues.js";
import { buildSteps, nextOf, stepAt, totalSeconds } from "./sequence.js";
import { load, save, update } from "./settings.js";
import { clockText, createView, fillForm, readForm } from "./view.js";

const data = JSON.parse(document.getElementById("routine-data").textContent);
const root = document.getElementById("timer");
const form = document.getElementById("timer-settings");
const note = document.getElementById("timer-note");
const view = createView(root, data);
const clock = createClock();
const cues = createCues();
let storage = null;
try {
  storage = localStorage;
} catch {
  storage = null; // blocked storage: nothing is remembered
}
let { settings, notes } = load(data, location.search, storage);
let steps, total, state, current, beeped, timer;

const emit = (name, detail) => document.dispatchEvent(new CustomEvent(`timer:${name}`, { detail }));

function setState(next) {
  state = next;
  view.state(next);
  form.querySelector("[data-view=routine-settings]").disabled = next === "running" || next === "paused";
  cues.awake(next === "running");
}

function rebuild() {
  clearTimeout(timer);
  Object.assign(cues.options, { sound: settings.sound, voice: settings.voice });
  steps = buildSteps(data, settings);
  total = totalSeconds(steps) * 1000;
  current = -1;
  clock.reset();
  view.reset();
  setState("idle");
  render(false);
}

function enter(i, fresh) {
  const step = steps[i];
  const before = steps[current];
  current = i;
  beeped = 0;
  view.step(step, i, nextOf(steps, i));
  if (state === "idle") return;
  view.announce(step.say);
  if (fresh && state === "running") {
    if (step.kind === "hold" || step.kind === "switch") cues.tone(step.kind === "hold" ? "start" : "switch");
    else if (before && before.kind === "hold") cues.tone("end");
    cues.say(step.say);
  }
  emit("step", { index: i, kind: step.kind, stretch: step.title, side: step.side || "", count: step.count || 0, of: step.of || 0, duration: step.duration });
}

// Draw the moment the clock says we are at; `live` when it is happening now
// (not a catch-up after a hidden tab), so tones belong to it.
function render(live) {
  const pos = Math.min(clock.position(), total) / 1000;
  const i = stepAt(steps, pos);
  if (i >= steps.length) return finish(live);
  const step = steps[i];
  const left = step.start + step.duration - pos;
  if (i !== current) enter(i, live && pos - step.start < 1.5);
  view.time(left, step.duration, total / 1000 - pos, total / 1000);
  const whole = Math.ceil(left);
  if (live && state === "running" && step.kind !== "hold" && step.kind !== "walk" && whole <= 3 && whole !== beeped && whole - left < 0.5) {
    beeped = whole;
    cues.tone("tick");
  }
}

function finish(live) {
  if (state === "finished") return;
  // A tab that came back long after the end: count only the routine, not the wait.
  const spent = (clock.spent() - Math.max(0, clock.position() - total)) / 1000;
  clock.pause();
  clearTimeout(timer);
  setState("finished");
  view.finish(spent);
  const say = `Routine done. Total time ${clockText(spent)}.`;
  view.announce(say);
  if (live) cues.tone("end"), cues.say(say);
  emit("finish", { spent, total: total / 1000 });
}

// Wake up when the display next changes (a whole second), not on a fixed beat.
function schedule() {
  clearTimeout(timer);
  if (state !== "running") return;
  const pos = clock.position();
  const i = stepAt(steps, pos / 1000);
  const end = i < steps.length ? (steps[i].start + steps[i].duration) * 1000 : total;
  timer = setTimeout(tick, ((end - pos) % 1000 || 1000) + 5);
}

function tick() {
  render(true);
  schedule();
}

function seekStep(i) {
  clock.seek(i >= steps.length ? total : steps[Math.max(0, i)].start * 1000);
  current = -1; // re-enter even the same step: it starts over and is announced again
  tick();
}

const actions = {
  toggle() {
    if (state === "idle") {
      cues.unlock();
      save(settings, storage);
      clock.start();
      setState("running");
      current = -1;
    } else if (state === "running") {
      clock.pause();
      setState("paused");
      cues.say("");
      view.announce("Paused");
    } else if (state === "paused") {
      clock.start();
      setState("running");
      view.announce("Running");
    }
    tick();
  },
  prev: () => seekStep(stepAt(steps, clock.position() / 1000) - 1),
  next: () => seekStep(stepAt(steps, clock.position() / 1000) + 1),
  restart: rebuild,
};

root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (button && !button.disabled) actions[button.dataset.action]();
});

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.altKey || event.ctrlKey || event.metaKey || target.closest("input, select, textarea")) return;
  const action = { " ": "toggle", ArrowLeft: "prev", ArrowRight: "next" }[event.key];
  // Space on a focused button already presses that button.
  if (!action || (action === "toggle" && target.closest("button, a"))) return;
  const button = view.buttons[action];
  event.preventDefault();
  if (!button.disabled && !button.hidden) actions[action]();
});

form.addEventListener("change", () => {
  const result = update(data, settings, readForm(form));
  settings = result.settings;
  view.notes(note, result.notes);
  fillForm(form, settings);
  save(settings, storage);
  // The settings are remembered now; a preset in the address would override them on reload.
  if (location.search) history.replaceState(null, "", location.pathname);
  if (state === "idle" || state === "finished") rebuild();
  else Object.assign(cues.options, { sound: settings.sound, voice: settings.voice });
});
form.addEventListener("submit", (event) => event.preventDefault());

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && state === "running") tick();
});

view.notes(note, notes);
fillForm(form, settings);
rebuild();
