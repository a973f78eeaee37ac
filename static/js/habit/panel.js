// Home page: this week's sessions and the streak, the history file (export,
// import, clear) and the calendar reminder. Everything stays on the device:
// files are made here and handed to the browser as downloads.
import { readPrefs } from "../choices.js";
import { phrasebook } from "../phrases.js";
import { exportText, habitText, importText, merge, readHistory, saveHistory } from "./history.js";

const phrase = phrasebook(JSON.parse(document.getElementById("phrases").textContent)); // stretchsite/phrases.py
const root = document.querySelector("[data-habit]");
const status = root.querySelector("[data-habit-status]");
const say = (key, values) => (status.textContent = phrase(key, values));
const show = () => (root.querySelector("[data-habit-stats]").textContent = habitText(phrase, readHistory()));

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// The timer's address with the runner's choices as a preset (see the timer's URL presets).
export function presetUrl(base) {
  const prefs = readPrefs();
  const url = new URL(base, location.href);
  if (prefs.age) url.searchParams.set("age", prefs.age);
  const all = [...document.querySelectorAll("input[name=have]")].map((f) => f.value);
  if (prefs.without.length) url.searchParams.set("have", all.filter((e) => !prefs.without.includes(e)).join(","));
  return url.href;
}

const actions = {
  export() {
    const entries = readHistory();
    download(phrase("habit.file.history", { date: new Date().toISOString().slice(0, 10) }), exportText(entries), "application/json");
    say("habit.exported", { sessions: phrase.count(entries.length, "sessions") });
  },
  clear() {
    const entries = readHistory();
    if (!entries.length) return say("habit.nothing_to_clear");
    if (!confirm(phrase("habit.confirm_clear", { sessions: phrase.count(entries.length, "sessions") }))) return;
    saveHistory([]);
    show();
    say("habit.cleared");
  },
};

root.addEventListener("click", (event) => {
  const button = event.target.closest("[data-habit-action]");
  if (button) actions[button.dataset.habitAction]();
});

// Importing adds to what is here: a file never replaces (or loses) recorded sessions.
root.querySelector("[data-habit-import]").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  try {
    const before = readHistory();
    const entries = merge(before, importText(phrase, await file.text()));
    if (!saveHistory(entries)) return say("habit.import.refused");
    show();
    const added = entries.length - before.length;
    say("habit.imported", { n: added, unit: phrase.unit("sessions", added) });
  } catch (error) {
    status.textContent = error.message;
  }
});

const reminder = root.querySelector("[data-reminder]");
reminder.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { reminderIcs } = await import("./ics.js"); // only when asked for
  const form = new FormData(reminder);
  try {
    const text = reminderIcs(phrase, {
      days: form.getAll("day"),
      time: form.get("time"),
      url: presetUrl(reminder.dataset.url),
      host: location.hostname,
    });
    download(phrase("habit.file.reminder"), text, "text/calendar");
    say("habit.reminder.made");
  } catch (error) {
    status.textContent = error.message;
  }
});

addEventListener("storage", show); // a routine finished in another tab
show();
