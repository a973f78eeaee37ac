// The runner's choices, remembered on this device for every page: their age
// group and the equipment they do not have with them. Nothing leaves the device.
// js/prefs-early.js reads the same key before the first paint (keep them equal).

export const KEY = "stretchsite:prefs";
const WORD = /^[a-z0-9-]+$/;
// Strings only: RegExp.test(null) would test the word "null".
const word = (v) => typeof v === "string" && WORD.test(v);

function storage() {
  try {
    return localStorage;
  } catch {
    return null; // blocked storage: choices last for this page only
  }
}

// What this device remembered: { age: string|null, without: string[] }.
// Anything malformed reads as "no choice yet", never as an error.
export function readPrefs() {
  let raw = null;
  try {
    raw = JSON.parse(storage().getItem(KEY));
  } catch {}
  const age = raw && word(raw.age) ? raw.age : null;
  const without = raw && Array.isArray(raw.without) ? raw.without.filter(word) : [];
  return { age, without };
}

// Merge `change` into the remembered choices, save them and show them on this page.
export function savePrefs(change) {
  const prefs = { ...readPrefs(), ...change };
  try {
    storage().setItem(KEY, JSON.stringify(prefs));
  } catch {} // not remembered, still shown
  markDocument(prefs);
  document.dispatchEvent(new CustomEvent("prefs:change", { detail: prefs }));
  return prefs;
}

// The age group this page shows: a link's (?age=, as on a printed card's QR
// code) for this visit, else the remembered one.
export function pageAge(prefs, search = location.search) {
  const linked = new URLSearchParams(search).get("age");
  return word(linked) ? linked : prefs.age;
}

// The same marks prefs-early.js sets, which css/choices.css styles.
export function markDocument(prefs, root = document.documentElement) {
  const age = pageAge(prefs);
  if (age) root.dataset.age = age;
  else delete root.dataset.age;
  root.dataset.without = prefs.without.join(" ");
}
