// The timer's finish screen: record the routine just done, then show this
// week's sessions and the streak. Loaded only when a routine finishes.
import { habitText, readHistory, saveHistory, withSession } from "./history.js";

// summary: the timer's `timer:finish` detail ({ spent, age, stretches, ... }).
export function recordFinish(summary, out) {
  const entries = withSession(readHistory(), { seconds: summary.spent, age: summary.age, stretches: summary.stretches });
  const kept = saveHistory(entries);
  out.textContent = kept ? habitText(entries) : "This browser would not store your history, so this session was not recorded.";
  // Ask the browser to keep the history through storage pressure; it decides silently.
  navigator.storage?.persist?.().catch(() => {});
  return kept;
}
