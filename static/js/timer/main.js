// The timer page before the first tap: settings, the start screen, the offer
// to resume; then it hands over to run.js, fetched on that first tap with the
// sound, so little JavaScript loads before it (budget: 12 KB gzipped).
//
// Seam for other features (personalisation, history):
// - Which stretches the routine holds: dispatch `timer:include` on document
//   with `detail` = an array of stretch slugs (null for all) while it is not
//   running; buildSteps() leaves the others out.
// - A finished routine dispatches `timer:finish` on document with `detail` =
//   { spent, total, age, dose, easier, walk, stretches: [slugs] }.
// - Each step entered dispatches `timer:step` (detail: the step).
// Age group and equipment: the runner's choices for the whole site (../choices.js).
import { readPrefs, savePrefs } from "../choices.js";
import { phrasebook } from "../phrases.js";
import { buildSteps, stepAt } from "./sequence.js";
import { checked, clearProgress, load, loadProgress, save, update } from "./settings.js";
import { clockText, createView, fillForm, listVoices, readForm, showNotes } from "./view.js";

const $ = (id) => document.getElementById(id);
const data = JSON.parse($("routine-data").textContent);
const root = $("timer");
const form = $("timer-settings");
const say = phrasebook(data.phrases);
const view = createView(root, data, say);
let storage = null;
try {
  storage = localStorage;
} catch {} // blocked storage: nothing is remembered
let { settings, notes } = load(data, location.search, storage);
// The chosen age group wins over the timer's own memory, not over a link.
const prefs = readPrefs();
if (!/[?&]age=/.test(location.search) && data.age_groups.some((g) => g.id === prefs.age)) settings.age = prefs.age;
const rememberAge = () => readPrefs().age !== settings.age && savePrefs({ age: settings.age });
// Which stretches, known at the first build (code loaded only if some are left out).
const link = /[?&](have|skip)=/.test(location.search);
const leaving = (search, without) => import("../equipment.js").then((m) => m.included(data, m.routineChoices(data, search, without)));
let include = link || prefs.without.length ? await leaving(location.search, prefs.without) : null;
if (link) import("../timer-prefs.js").then((m) => m.showLinkChoices(data, location.search));
let steps = [];
let run = null; // the routine in progress, once the first tap has loaded it
let loading = null;
let audio = null;
let element = null;
const idle = () => !run || run.state === "idle" || run.state === "finished";

function setState(state) {
  view.state(state);
  form.elements.routine.disabled = state !== "idle" && state !== "finished";
}

function rebuild() {
  steps = buildSteps(data, { ...settings, include });
  view.preset(settings.age);
  root.querySelector("[data-view=preset]").dataset.live = ""; // css/choices.css: first paint only
  const end = steps.at(-1).start + steps.at(-1).duration;
  const count = new Set(steps.map((s) => s.slug).filter(Boolean)).size;
  $("timer-plan").textContent = say("timer.plan", { stretches: say.count(count, "stretches"), time: clockText(end) });
  if (run) return run.reset(steps);
  setState("idle");
  view.show(steps, 0);
  view.time(steps[0].duration, steps[0].duration, end, end);
}

// Inside the tap: iOS lets audio, speech and media begin only from a user
// gesture, so they are unlocked here, before the rest of the code arrives.
function unlock() {
  try {
    audio = audio || (globalThis.AudioContext ? new AudioContext() : null);
    if (audio && audio.state !== "running") audio.resume().catch(() => {});
  } catch {}
  if (!element && globalThis.Audio) (element = new Audio()).load();
  if (globalThis.speechSynthesis && !run) speechSynthesis.speak(new SpeechSynthesisUtterance(""));
}

function start(then) {
  unlock();
  loading = loading || import("./run.js").then(({ createRun }) => {
    const figure = (slug) => {
      const svg = root.querySelector(`[data-figure="${slug}"] svg`);
      return svg ? new XMLSerializer().serializeToString(svg) : "";
    };
    const emit = (name, detail) => document.dispatchEvent(new CustomEvent(`timer:${name}`, { detail }));
    run = createRun({ view, say, settings: () => settings, storage, audio, element, figure, emit, setState, act: (name) => actions[name]() });
    run.reset(steps);
  });
  loading.then(then);
}

const actions = {
  toggle: () => (run && run.state === "running" ? run.pause() : actions.play()),
  play() {
    if (idle()) save(settings, storage), clearProgress(storage), rememberAge();
    view.resumable("");
    start(() => run.play());
  },
  pause: () => run && run.pause(),
  prev: () => run && run.prev(),
  next: () => run && run.next(),
  restart: () => view.confirm(true),
  keep: () => view.confirm(false),
  over() {
    clearProgress(storage);
    rebuild();
    view.buttons.toggle.focus();
  },
  again: () => actions.over(),
  age(button) {
    settings = { ...settings, age: button.dataset.age };
    fillForm(form, settings);
    save(settings, storage);
    if (location.search) history.replaceState(null, "", location.pathname);
    rememberAge();
    rebuild();
  },
  resume() {
    const saved = loadProgress(storage);
    view.resumable("");
    if (!saved) return;
    settings = checked(data, saved.settings);
    fillForm(form, settings);
    rebuild();
    start(() => run.play(saved.position));
  },
  fresh() {
    clearProgress(storage);
    view.resumable("");
    rebuild();
  },
};

root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (button) actions[button.dataset.action](button);
});

document.addEventListener("keydown", (event) => {
  const target = event.target;
  const action = { " ": "toggle", ArrowLeft: "prev", ArrowRight: "next" }[event.key];
  // Form fields keep their keys; Space on a focused button already presses it.
  if (!action || event.altKey || event.ctrlKey || event.metaKey || target.closest("input, select, textarea") || (action === "toggle" && target.closest("button, a"))) return;
  event.preventDefault();
  const button = view.buttons[action];
  if (!button.disabled && !button.hidden && root.dataset.state !== "finished") actions[action]();
});

form.addEventListener("change", () => {
  ({ settings, notes } = update(data, settings, readForm(form)));
  showNotes($("timer-note"), notes);
  fillForm(form, settings);
  save(settings, storage);
  // Remembered now; a preset left in the address would override it on reload.
  if (location.search) history.replaceState(null, "", location.pathname);
  rememberAge();
  if (idle()) rebuild();
});
form.addEventListener("submit", (event) => event.preventDefault());

// Equipment changed on this page: remembered, and wins over a link's.
let lacking = prefs.without.join();
document.addEventListener("prefs:change", async ({ detail }) => {
  if (detail.without.join() === lacking) return; // the age group
  lacking = detail.without.join();
  include = await leaving("", detail.without);
  if (idle()) rebuild();
});
// Record the routine on the device (history code loaded now).
document.addEventListener("timer:finish", ({ detail }) => import("../habit/finish.js").then((m) => m.recordFinish(say, detail, $("timer-habit"))));

document.addEventListener("timer:include", (event) => {
  include = Array.isArray(event.detail) ? event.detail : null;
  if (idle()) rebuild();
});

if (globalThis.speechSynthesis) {
  const voices = () => listVoices(form.elements.speaker, speechSynthesis.getVoices(), document.documentElement.lang || "en", settings.speaker);
  voices();
  speechSynthesis.addEventListener("voiceschanged", voices);
} else form.elements.speaker.closest("p").hidden = true;

showNotes($("timer-note"), notes);
fillForm(form, settings);
rebuild();
// A run cut short by a reload or a killed tab: offer to pick it up.
const saved = loadProgress(storage);
const again = saved && buildSteps(data, { ...checked(data, saved.settings), include });
const at = again ? stepAt(again, saved.position) : 0;
if (again && at < again.length) {
  const step = again[at];
  view.show(again, at); // where the run would pick up
  view.time(step.start + step.duration - saved.position, step.duration, again.at(-1).start + again.at(-1).duration - saved.position, again.at(-1).start + again.at(-1).duration);
  view.resumable(say("timer.resume", { where: step.where, step: step.label, left: clockText(step.start + step.duration - saved.position) }));
}
