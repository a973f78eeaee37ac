// Settings: defaults from the routine data, then what this device remembered,
// then the URL's parameters (a printed card's link wins for that visit).
// Every value is checked; a bad one falls back and leaves a note to show.

const KEY = "stretchsite:timer-settings";
const FLAGS = { true: true, 1: true, on: true, yes: true, false: false, 0: false, off: false, no: false };

function checkers(data) {
  // Own keys only: "constructor" or "__proto__" must not be read from the prototype.
  const own = (table, key) => (Object.hasOwn(table, key) ? table[key] : undefined);
  const flag = (v) => own(FLAGS, String(v).toLowerCase());
  const seconds = (v) => (/^\d\d?$/.test(v) && v <= 60 ? +v : undefined);
  return {
    age: (v) => (data.age_groups.some((g) => g.id === v) ? v : undefined),
    dose: (v) => (v === "min" || v === "max" ? v : undefined),
    easier: flag, walk: flag, sound: flag, voice: flag, ready: seconds, switch: seconds,
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
  const shown = (n) => (n === "age" ? data.age_groups.find((g) => g.id === out.age).label : String(out[n]));
  return { settings: out, bad, kept: bad.map((n) => `${n}: ${shown(n)}`).join(", ") };
}

export function load(data, search, storage) {
  let settings = { age: data.age_groups[0].id, dose: "min", easier: false, walk: true, ready: data.timer.get_ready, switch: data.timer.switch_sides, sound: true, voice: true };
  const notes = [];
  let raw = null;
  try {
    raw = storage && storage.getItem(KEY);
    if (raw) raw = JSON.parse(raw);
  } catch {
    raw = false;
  }
  if (raw === false || (raw !== null && (typeof raw !== "object" || Array.isArray(raw)))) {
    notes.push("Your saved timer settings could not be read, so the defaults are back.");
    save(settings, storage);
  } else if (raw) {
    const result = apply(data, settings, raw);
    settings = result.settings;
    if (result.bad.length) notes.push(`Some saved settings were not valid; using ${result.kept}.`), save(settings, storage);
  }
  const result = apply(data, settings, Object.fromEntries(new URLSearchParams(search)));
  if (result.bad.length) notes.push(`This link asked for settings the timer does not know; using ${result.kept}.`);
  return { settings: result.settings, notes };
}

// Values typed into the form: the same checks; a bad value keeps the current one.
export function update(data, settings, raw) {
  const result = apply(data, settings, raw);
  return { settings: result.settings, notes: result.bad.length ? [`That is not a valid value; kept ${result.kept}.`] : [] };
}

export function save(settings, storage) {
  try {
    storage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // No storage (private mode, blocked, full): settings are simply not remembered.
  }
}
