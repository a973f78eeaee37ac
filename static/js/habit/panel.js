// Home page: this week's sessions and the streak, the history file (export,
// import, clear) and the calendar reminder. Everything stays on the device:
// files are made here and handed to the browser as downloads.
import { readPrefs } from "../choices.js";
import { exportText, habitText, importText, merge, readHistory, saveHistory } from "./history.js";

const root = document.querySelector("[data-habit]");
const status = root.querySelector("[data-habit-status]");
const say = (text) => (status.textContent = text);
const show = () => (root.querySelector("[data-habit-stats]").textContent = habitText(readHistory()));

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
    download(`stretch-history-${new Date().toISOString().slice(0, 10)}.json`, exportText(entries), "application/json");
    say(`Exported ${entries.length} ${entries.length === 1 ? "session" : "sessions"}.`);
  },
  clear() {
    const entries = readHistory();
    if (!entries.length) return say("There is no history to clear.");
    if (!confirm(`Delete all ${entries.length} recorded sessions from this browser? Export them first if you want to keep them.`)) return;
    saveHistory([]);
    show();
    say("History cleared.");
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
    const entries = merge(before, importText(await file.text()));
    if (!saveHistory(entries)) return say("This browser would not store the history; nothing was imported.");
    show();
    const added = entries.length - before.length;
    say(`Imported ${added} new ${added === 1 ? "session" : "sessions"}.`);
  } catch (error) {
    say(error.message);
  }
});

const reminder = root.querySelector("[data-reminder]");
reminder.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { reminderIcs } = await import("./ics.js"); // only when asked for
  const form = new FormData(reminder);
  try {
    const text = reminderIcs({
      days: form.getAll("day"),
      time: form.get("time"),
      url: presetUrl(reminder.dataset.url),
      title: reminder.dataset.title,
      note: reminder.dataset.note,
      host: location.hostname,
    });
    download("stretch-reminder.ics", text, "text/calendar");
    say("Reminder made: open the file to add it to your calendar.");
  } catch (error) {
    say(error.message);
  }
});

addEventListener("storage", show); // a routine finished in another tab
show();
