import assert from "node:assert/strict";
import { test } from "node:test";
import { createWakeLock } from "../../static/js/timer/wakelock.js";

globalThis.document = { visibilityState: "visible" };
// A wake-lock API whose grants the test hands out when it likes.
function fakeApi() {
  const asked = [];
  const locks = [];
  return {
    asked,
    locks,
    request: () => new Promise((resolve) => asked.push(() => {
      const lock = new EventTarget();
      lock.release = async () => { lock.released = true; lock.dispatchEvent(new Event("release")); };
      locks.push(lock);
      resolve(lock);
    })),
  };
}
const settle = () => new Promise((r) => setImmediate(r));

test("pause while the lock is still being granted: it is let go as soon as it arrives", async () => {
  const api = fakeApi();
  const wake = createWakeLock(api);
  wake.set(true);
  wake.set(false);
  api.asked[0]();
  await settle();
  assert.equal(api.locks[0].released, true);
  assert.equal(wake.held, false);
});

test("start, pause, start before the grant: one request, and the lock is kept", async () => {
  const api = fakeApi();
  const wake = createWakeLock(api);
  wake.set(true);
  wake.set(false);
  wake.set(true);
  assert.equal(api.asked.length, 1);
  api.asked[0]();
  await settle();
  assert.equal(wake.held, true);
  assert.notEqual(api.locks[0].released, true);
});

test("dropped by the browser (page hidden): taken again on return, not while hidden", async () => {
  const api = fakeApi();
  const wake = createWakeLock(api);
  wake.set(true);
  api.asked[0]();
  await settle();
  await api.locks[0].release();
  document.visibilityState = "hidden";
  wake.retake();
  assert.equal(api.asked.length, 1);
  document.visibilityState = "visible";
  wake.retake();
  assert.equal(api.asked.length, 2);
});

test("no wake-lock API: nothing happens, nothing throws", () => {
  const wake = createWakeLock(null);
  wake.set(true);
  wake.retake();
  wake.set(false);
  assert.equal(wake.held, false);
});
