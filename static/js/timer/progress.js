// Where a routine in progress stands, kept on the device, so a reload or a
// killed tab can pick up at the same step and second.
const KEY = "stretchsite:timer-progress";

export function saveProgress(storage, settings, position) {
  try {
    storage.setItem(KEY, JSON.stringify({ settings, position, saved: Date.now() }));
  } catch {} // no storage: nothing to resume from, the timer works anyway
}

export function clearProgress(storage) {
  try {
    storage.removeItem(KEY);
  } catch {}
}

// The saved run, or null when there is none or it cannot be read.
export function loadProgress(storage) {
  try {
    const saved = JSON.parse(storage.getItem(KEY));
    return saved && typeof saved.settings === "object" && Number.isFinite(saved.position) && saved.position > 0 ? saved : null;
  } catch {
    return null;
  }
}
