// Wires the timer together: settings -> steps -> clock -> view and cues.
import { createClock } from "./clock.js";
import { createCues } from "./cues.js";
import { buildSteps, nextOf, stepAt } from "./sequence.js";
import { load, save, update } from "./settings.js";
import { clockText, createView, fillForm, readForm, showNotes } from "./view.js";

const $ = (id) => document.getElementById(id);
const data = JSON.parse($("routine-data").textContent);
const root = $("timer");
const form = $("timer-settings");
const view = createView(root, data);
const clock = createClock();
const cues = createCues();
let storage = null;
try {
  storage = localStorage;
} catch {} // blocked storage: nothing is remembered
let { settings, notes } = load(data, location.search, storage);
let steps, total, state, current, beeped, timer;

const emit = (name, detail) => document.dispatchEvent(new CustomEvent(`timer:${name}`, { detail }));
const at = () => stepAt(steps, clock.position() / 1000);

function setState(next) {
  state = next;
  view.state(next);
  form.elements.routine.disabled = next === "running" || next === "paused";
  cues.awake(next === "running");
}

function rebuild() {
  clearTimeout(timer);
  Object.assign(cues.options, { sound: settings.sound, voice: settings.voice });
  steps = buildSteps(data, settings);
  const last = steps[steps.length - 1];
  total = (last.start + last.duration) * 1000;
  current = -1;
  clock.reset();
  setState("idle");
  render();
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
  emit("step", { index: i, ...step });
}

// Draw the moment the clock says we are at. `live`: it is happening now, not a
// catch-up after a hidden tab, so its tones still make sense.
function render(live) {
  const pos = Math.min(clock.position(), total) / 1000;
  const i = stepAt(steps, pos);
  if (i >= steps.length) return finish(live);
  const step = steps[i];
  const left = step.start + step.duration - pos;
  if (i !== current) enter(i, live && pos - step.start < 1.5);
  view.time(left, step.duration, total / 1000 - pos, total / 1000);
  const whole = Math.ceil(left);
  // 3-2-1 before a hold starts.
  if (live && state === "running" && (step.kind === "ready" || step.kind === "switch") && whole <= 3 && whole !== beeped && whole - left < 0.5) {
    beeped = whole;
    cues.tone("tick");
  }
}

function finish(live) {
  if (state === "finished") return;
  // Back long after the end (hidden tab): count the routine, not the wait.
  const spent = (clock.spent() - Math.max(0, clock.position() - total)) / 1000;
  clock.pause();
  setState("finished");
  view.finish(spent);
  const say = `Routine done. Total time ${clockText(spent)}.`;
  view.announce(say);
  if (live) cues.tone("end"), cues.say(say);
  emit("finish", { spent, total: total / 1000 });
}

// Wake when the display next changes (each whole second), not on a fixed beat.
function tick() {
  render(true);
  clearTimeout(timer);
  if (state !== "running") return;
  const pos = clock.position();
  const step = steps[at()];
  timer = setTimeout(tick, (((step.start + step.duration) * 1000 - pos) % 1000 || 1000) + 5);
}

function seekStep(i) {
  clock.seek(i >= steps.length ? total : steps[Math.max(0, i)].start * 1000);
  current = -1; // re-enter even the same step: it starts over and is announced again
  tick();
}

const actions = {
  toggle() {
    if (state === "idle") {
      cues.unlock(); // inside the tap: iOS allows audio and speech only from a gesture
      save(settings, storage);
      current = -1;
    }
    if (state === "running") {
      clock.pause();
      setState("paused");
      cues.say("");
      view.announce("Paused");
    } else {
      clock.start();
      setState("running");
    }
    tick();
  },
  prev: () => seekStep(at() - 1),
  next: () => seekStep(at() + 1),
  restart: rebuild,
};

root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (button) actions[button.dataset.action]();
});

document.addEventListener("keydown", (event) => {
  const target = event.target;
  const action = { " ": "toggle", ArrowLeft: "prev", ArrowRight: "next" }[event.key];
  // Form fields keep their keys; Space on a focused button already presses it.
  if (!action || event.altKey || event.ctrlKey || event.metaKey || target.closest("input, select, textarea") || (action === "toggle" && target.closest("button, a"))) return;
  event.preventDefault();
  const button = view.buttons[action];
  if (!button.disabled && !button.hidden) actions[action]();
});

form.addEventListener("change", () => {
  ({ settings, notes } = update(data, settings, readForm(form)));
  showNotes($("timer-note"), notes);
  fillForm(form, settings);
  save(settings, storage);
  // Remembered now; a preset left in the address would override it on reload.
  if (location.search) history.replaceState(null, "", location.pathname);
  if (state === "idle" || state === "finished") rebuild();
  else Object.assign(cues.options, { sound: settings.sound, voice: settings.voice });
});
form.addEventListener("submit", (event) => event.preventDefault());
document.addEventListener("visibilitychange", () => state === "running" && tick());

showNotes($("timer-note"), notes);
fillForm(form, settings);
rebuild();
