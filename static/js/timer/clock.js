// Where we are in the routine, from timestamps only: never from counted ticks,
// so a throttled or hidden tab is right again on its next look.
// Date.now() rather than performance.now(): on phones the monotonic clock can
// stop while the device sleeps, and the stretch goes on regardless.

export function createClock(now = Date.now) {
  let base = 0; // routine position (ms) at the last start, pause or seek
  let since = 0; // timestamp of that moment, while running
  let spent = 0; // running time before that moment, pauses excluded
  let running = false;
  let last = -Infinity;
  // A clock set back by the system must not make time run backwards.
  const t = () => (last = Math.max(last, now()));
  const delta = () => (running ? t() - since : 0);
  return {
    get running() {
      return running;
    },
    position: () => base + delta(),
    spent: () => spent + delta(),
    start() {
      if (!running) [since, running] = [t(), true];
    },
    pause() {
      if (running) {
        const d = delta();
        [base, spent, running] = [base + d, spent + d, false];
      }
    },
    seek(ms) {
      spent += delta();
      since = t();
      base = Math.max(0, ms);
    },
    reset() {
      [base, spent, running] = [0, 0, false];
    },
  };
}
