// Keep the screen on while the routine runs, where the browser allows it.
// The lock is asked for on every start, resume and return to the page, and let
// go on every pause and finish, including when a pause comes while the
// browser is still granting it (a quick Start, Pause).
export function createWakeLock(api = navigator.wakeLock) {
  let lock = null;
  let asking = false;
  let wanted = false;

  function take() {
    if (!wanted || lock || asking || !api || document.visibilityState !== "visible") return;
    asking = true;
    api.request("screen").then(
      (granted) => {
        asking = false;
        if (!wanted) return void granted.release().catch(() => {}); // paused meanwhile
        lock = granted;
        granted.addEventListener("release", () => lock === granted && (lock = null));
      },
      () => (asking = false), // refused (battery saver, no permission): the timer works anyway
    );
  }

  return {
    get held() {
      return !!lock;
    },
    set(on) {
      wanted = on;
      if (on) return take();
      const held = lock;
      lock = null;
      if (held) held.release().catch(() => {});
    },
    retake: take, // the browser drops the lock whenever the page is hidden
  };
}
