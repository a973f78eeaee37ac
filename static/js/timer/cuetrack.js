// The cue track in an <audio> element: it plays the tones from the current
// position while the page is hidden (screen off, another app), when timers no
// longer run but media does. Muted while the page is visible, where the
// scheduler in sound.js plays every tone itself, so nothing sounds twice.
import { renderTrack, toneTimes } from "./track.js";

// `el`: an <audio> element made (and loaded) inside the first tap, or null.
export function createCueTrack(el) {
  let from = 0; // routine position (s) at the track's start
  let url = "";
  let made = {}; // the steps and end the current track was rendered for
  let broken = false; // the system paused or stalled it while the page was hidden
  if (el) {
    for (const name of ["pause", "stalled", "error", "ended", "emptied"]) el.addEventListener(name, () => document.visibilityState === "hidden" && (broken = true));
  }
  const audible = () => el && (el.muted = document.visibilityState === "visible");
  document.addEventListener("visibilitychange", audible);
  return {
    // From a tap: some browsers let an element play only from a user gesture.
    play(steps, position, until) {
      if (!el) return;
      broken = false;
      if (steps === made.steps && until === made.until && position >= from) {
        el.currentTime = position - from; // the same track, further on
      } else {
        made = { steps, until };
        from = position;
        if (url) URL.revokeObjectURL(url);
        url = URL.createObjectURL(new Blob([renderTrack(toneTimes(steps, position, until).map((t) => ({ ...t, at: t.at - position })), until - position)], { type: "audio/wav" }));
        el.src = url;
      }
      audible();
      el.play().catch(() => (broken = true));
    },
    stop() {
      if (el && !el.paused) el.pause();
    },
    // Did it keep playing the whole time the page was away?
    carried: () => !!el && !broken && !el.paused && !!url,
    get element() {
      return el;
    },
    get from() {
      return from;
    },
  };
}
