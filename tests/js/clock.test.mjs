import assert from "node:assert/strict";
import { test } from "node:test";
import { createClock } from "../../static/js/timer/clock.js";

test("position counts running time only; a clock set back never runs time backwards", () => {
  let now = 1000;
  const clock = createClock(() => now);
  clock.start();
  now += 5000;
  clock.pause();
  now += 60000;
  assert.equal(clock.position(), 5000);
  clock.start();
  now -= 30000; // the system clock jumps back
  assert.equal(clock.position(), 5000);
  now += 31000;
  assert.equal(clock.position(), 6000);
  clock.seek(100);
  assert.equal(clock.position(), 100);
  assert.equal(clock.spent(), 6000);
});
