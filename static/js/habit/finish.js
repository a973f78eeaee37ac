// The timer's finish screen: record the routine just done, then show this
// week's sessions and the streak. Loaded only when a routine finishes.
import { habitText, readHistory, saveHistory, withSession } from "./history.js";

// summary: the timer's `timer:finish` detail ({ spent, age, stretches, ... }); say: its phrases.
export function recordFinish(say, summary, out) {
  const entries = withSession(readHistory(), { seconds: summary.spent, age: summary.age, stretches: summary.stretches });
  const kept = saveHistory(entries);
  out.textContent = kept ? habitText(say, entries) : say("habit.not_kept");
  // Ask the browser to keep the history through storage pressure; it decides silently.
  navigator.storage?.persist?.().catch(() => {});
  return kept;
}
