// Settings: defaults from the routine data, then what this device remembered,
// then the page's URL parameters (a printed card's link wins for that visit).
// Every value is checked; a bad one falls back and leaves a note to show.

const KEY = "stretchsite:timer-settings";
const BOOLS = { true: true, 1: true, on: true, yes: true, false: false, 0: false, off: false, no: false };

export function defaults(data) {
  return { age: data.age_groups[0].id, dose: "min", easier: false, walk: true, ready: data.timer.get_ready, switch: data.timer.switch_sides, sound: true, voice: true };
}

function checkers(data) {
  const flag = (v) => BOOLS[String(v).toLowerCase()];
  const seconds = (v) => (/^\d{1,2}$/.test(String(v)) && +v <= 60 ? +v : undefined);
  return {
    age: (v) => (data.age_groups.some((g) => g.id === v) ? v : undefined),
    dose: (v) => (v === "min" || v === "max" ? v : undefined),
    easier: flag, walk: flag, sound: flag, voice: flag, ready: seconds, switch: seconds,
  };
}

// Apply `source` (an object of raw values) onto `settings`; returns the names that were bad.
function apply(settings, source, check) {
  const bad = [];
  for (const [name, raw] of Object.entries(source)) {
    if (!(name in check)) continue;
    const value = check[name](raw);
    if (value === undefined) bad.push(name);
    else settings[name] = value;
  }
  return bad;
}

export function load(data, search = "", storage = null) {
  const check = checkers(data);
  const settings = defaults(data);
  const notes = [];
  let raw = null;
  try {
    raw = storage && storage.getItem(KEY);
  } catch {
    raw = null; // storage blocked: defaults, nothing to report
  }
  if (raw) {
    let stored = null;
    try {
      stored = JSON.parse(raw);
    } catch {
      stored = null;
    }
    if (!stored || typeof stored !== "object" || Array.isArray(stored)) {
      notes.push("Your saved timer settings could not be read, so the defaults are back.");
    } else {
      const bad = apply(settings, stored, check);
      if (bad.length) notes.push(`Some saved settings were not valid (${bad.join(", ")}); their defaults are back.`);
    }
    if (notes.length) save(settings, storage);
  }
  const params = new URLSearchParams(search);
  const given = Object.fromEntries([...params].filter(([name]) => name in check));
  const bad = apply(settings, given, check);
  if (bad.length) notes.push(`This link set ${bad.map((n) => `“${n}”`).join(", ")} to something the timer does not know; using ${bad.map((n) => describe(data, n, settings[n])).join(", ")} instead.`);
  return { settings, notes };
}

// Settings typed into the form: same checks; a bad value keeps the current one.
export function update(data, settings, raw) {
  const next = { ...settings };
  const bad = apply(next, raw, checkers(data));
  return { settings: next, notes: bad.length ? [`Not a valid value for ${bad.join(", ")}; kept ${bad.map((n) => describe(data, n, next[n])).join(", ")}.`] : [] };
}

function describe(data, name, value) {
  if (name === "age") return data.age_groups.find((g) => g.id === value).label;
  if (typeof value === "boolean") return value ? "on" : "off";
  return String(value);
}

export function save(settings, storage) {
  try {
    storage && storage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Private mode or full storage: settings simply are not remembered.
  }
}
