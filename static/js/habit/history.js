// Finished routines, kept on this device only: recording one, this week's count,
// the streak of days, and the export file. Dates are the runner's local days.

const KEY = "stretchsite:history";
export const FORMAT = "after-the-run-history";
const DAY = /^\d{4}-\d\d-\d\d$/;
const WORD = /^[a-z0-9-]+$/;
const word = (v) => typeof v === "string" && WORD.test(v); // RegExp.test(null) tests "null"

// "2026-11-25" for the local day of `date`.
export const dayOf = (date) => [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((n) => String(n).padStart(2, "0")).join("-");

// One entry as stored, or null when it is not one: imported files are not trusted.
function entryOf(raw) {
  if (!raw || typeof raw !== "object") return null;
  const { at, date, seconds, age, stretches } = raw;
  if (typeof at !== "string" || Number.isNaN(Date.parse(at)) || typeof date !== "string" || !DAY.test(date)) return null;
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86400) return null;
  if (!Array.isArray(stretches) || !stretches.every(word)) return null;
  return { at, date, seconds: Math.round(seconds), age: word(age) ? age : null, stretches: [...stretches] };
}

export function readHistory(storage = localStorage) {
  try {
    const list = JSON.parse(storage.getItem(KEY));
    return Array.isArray(list) ? list.map(entryOf).filter(Boolean) : [];
  } catch {
    return [];
  }
}

// Returns false when the browser refused to store it (private mode, full).
export function saveHistory(entries, storage = localStorage) {
  try {
    if (entries.length) storage.setItem(KEY, JSON.stringify(entries));
    else storage.removeItem(KEY);
    return true;
  } catch {
    return false;
  }
}

// The list with one finished routine added: { seconds, age, stretches } at `now`.
export function withSession(entries, session, now = new Date()) {
  const entry = entryOf({ ...session, at: now.toISOString(), date: dayOf(now) });
  return entry ? merge(entries, [entry]) : entries;
}

// Both lists, each routine once (by its finishing moment), oldest first.
export function merge(a, b) {
  const byAt = new Map([...a, ...b].map((e) => [e.at, e]));
  return [...byAt.values()].sort((x, y) => (x.at < y.at ? -1 : 1));
}

// Sessions since Monday of this week (local time).
export function thisWeek(entries, now = new Date()) {
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
  const from = dayOf(monday);
  return entries.filter((e) => e.date >= from && e.date <= dayOf(now)).length;
}

// Consecutive days with a session, ending today, or yesterday: a streak is
// only broken once a whole day has passed without one.
export function streak(entries, now = new Date()) {
  const days = new Set(entries.map((e) => e.date));
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  if (!days.has(dayOf(day))) day.setDate(day.getDate() - 1);
  let count = 0;
  while (days.has(dayOf(day))) count++, day.setDate(day.getDate() - 1);
  return count;
}

// The one line the home page and the finish screen show. `say`: the page's phrases (../phrases.js).
export function habitText(say, entries, now = new Date()) {
  if (!entries.length) return say("habit.none");
  return say("habit.stats", { sessions: say.count(thisWeek(entries, now), "sessions"), days: say.count(streak(entries, now), "days") });
}

export const exportText = (entries) => JSON.stringify({ format: FORMAT, version: 1, entries }, null, 1);

// The entries of an exported file; throws an Error whose message says what is wrong.
export function importText(say, text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(say("habit.import.not_json"));
  }
  if (!data || data.format !== FORMAT || !Array.isArray(data.entries)) throw new Error(say("habit.import.not_history"));
  const entries = data.entries.map(entryOf);
  if (entries.includes(null)) throw new Error(say("habit.import.damaged"));
  return entries;
}
