// Settings: defaults from the routine data, then what this device remembered,
// then the URL's parameters (a printed card's link wins for that visit).
// Every value is checked; a bad one falls back and leaves a note to show.
// Also where a routine in progress stands (see saveProgress).

import { phrasebook } from "../phrases.js";

const KEY = "stretchsite:timer-settings";
const note = (data, key, values) => phrasebook(data.phrases)(`timer.note.${key}`, values);
const FLAGS = { true: true, 1: true, on: true, yes: true, false: false, 0: false, off: false, no: false };

function checkers(data) {
  // Own keys only: "constructor" or "__proto__" must not be read from the prototype.
  const own = (table, key) => (Object.hasOwn(table, key) ? table[key] : undefined);
  const flag = (v) => own(FLAGS, String(v).toLowerCase());
  // The limits come with the routine data: the build checks the content against the same ones.
  const within = ([lo, hi], pattern) => (v) => (pattern.test(String(v)) && +v >= lo && +v <= hi ? +v : undefined);
  const seconds = within(data.limits.gap, /^\d{1,4}$/);
  return {
    age: (v) => (data.age_groups.some((g) => g.id === v) ? v : undefined),
    dose: (v) => (v === "min" || v === "max" ? v : undefined),
    easier: flag, walk: flag, sound: flag, voice: flag, wait: flag, mid: flag, track: flag,
    ready: seconds, switch: seconds,
    rate: within(data.limits.rate, /^\d(\.\d{1,2})?$/),
    speaker: (v) => (typeof v === "string" && v.length <= 200 ? v : undefined), // a voice's name; "" is the default
  };
}

// Copy the valid values of `raw` onto a copy of `settings`; list the names of bad ones.
function apply(data, settings, raw) {
  const check = checkers(data);
  const out = { ...settings };
  const bad = [];
  for (const [name, value] of Object.entries(raw)) {
    if (!Object.hasOwn(check, name)) continue; // not ours (e.g. a tracking parameter)
    const ok = check[name](value);
    if (ok === undefined) bad.push(name);
    else out[name] = ok;
  }
  const say = phrasebook(data.phrases);
  const shown = (n) => (n === "age" ? data.age_groups.find((g) => g.id === out.age).label : data.phrases[`timer.value.${out[n]}`] || String(out[n]) || say("timer.setting.default"));
  return { settings: out, bad, kept: bad.map((name) => say(`timer.setting.${name}`, { value: shown(name) })).join(say("list.separator")) };
}

export const defaults = (data) => ({
  age: data.age_groups[0].id, dose: "min", easier: false, walk: true, ready: data.timer.get_ready, switch: data.timer.switch_sides,
  wait: false, sound: true, voice: true, mid: true, track: true, rate: 1, speaker: "",
});

// Settings from a saved run: every value checked again, defaults for the rest.
export const checked = (data, raw) => apply(data, defaults(data), raw).settings;

export function load(data, search, storage) {
  let settings = defaults(data);
  const notes = [];
  let raw = null;
  try {
    raw = storage && storage.getItem(KEY);
    if (raw) raw = JSON.parse(raw);
  } catch {
    raw = false;
  }
  if (raw === false || (raw !== null && (typeof raw !== "object" || Array.isArray(raw)))) {
    notes.push(note(data, "unreadable"));
    save(settings, storage);
  } else if (raw) {
    const result = apply(data, settings, raw);
    settings = result.settings;
    if (result.bad.length) notes.push(note(data, "saved", result)), save(settings, storage);
  }
  const result = apply(data, settings, Object.fromEntries(new URLSearchParams(search)));
  if (result.bad.length) notes.push(note(data, "link", result));
  return { settings: result.settings, notes };
}

// Values typed into the form: the same checks; a bad value keeps the current one.
export function update(data, settings, raw) {
  const result = apply(data, settings, raw);
  return { settings: result.settings, notes: result.bad.length ? [note(data, "typed", result)] : [] };
}

export function save(settings, storage) {
  try {
    storage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // No storage (private mode, blocked, full): settings are simply not remembered.
  }
}

// Where a routine in progress stands, so a reload or a killed tab can pick
// it up at the same step and second.
const PROGRESS = "stretchsite:timer-progress";

export function saveProgress(storage, settings, position) {
  try {
    storage.setItem(PROGRESS, JSON.stringify({ settings, position, saved: Date.now() }));
  } catch {} // no storage: nothing to resume from, the timer works anyway
}

export function clearProgress(storage) {
  try {
    storage.removeItem(PROGRESS);
  } catch {}
}

// The saved run, or null when there is none or it cannot be read.
export function loadProgress(storage) {
  try {
    const saved = JSON.parse(storage.getItem(PROGRESS));
    return saved && typeof saved.settings === "object" && Number.isFinite(saved.position) && saved.position > 0 ? saved : null;
  } catch {
    return null;
  }
}
