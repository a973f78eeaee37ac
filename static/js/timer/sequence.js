// The routine as a list of timed steps, each carrying what is said and which
// tones sound, and when. Pure: data and settings in, steps out (node --test).
//
// Steps: an optional walk; then per stretch, per round/set/rep, per side: a gap
// ("ready": into position for a new stretch, or ready for the next round;
// "switch" before the second side) and a hold. A gap is never shorter than
// what must be said in it; a gap set to 0 s is left out and its words move to
// the start of the hold. Mid-hold words (further cues, halfway, 10 seconds
// left) only where they fit (a cue waits for the stretch's next hold); ticks
// only where nothing is said.
import { toneLength } from "./tones.js";

// Every spoken phrase, in one place. Names, sides and cues come from the content.
const one = (unit) => unit.slice(0, -1);
const Cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
export const SAY = {
  walk: (title, minutes) => `${title}. ${minutes} minutes of easy walking.`,
  next: (title, of, unit, each) => `Next: ${title}. ${of} ${of === 1 ? one(unit) : unit}${each ? ", each side" : ""}.`,
  first: (side) => `${Cap(side)} first.`,
  count: (unit, n, of) => `${Cap(one(unit))} ${n} of ${of}${n === of ? `, last ${one(unit)}` : ""}.`,
  side: (side) => `${Cap(side)}.`,
  switch: (side) => `Switch sides: ${side}.`,
  hold: (s) => `Hold, ${s} seconds.`,
  halfway: "Halfway.",
  ten: "10 seconds left.",
  release: "Release.",
  wait: "Tap, or press play, when you are in position.",
  left: (s) => `${s} seconds left.`,
  done: (words) => `Routine done. Total time ${words}.`,
};

// How long a phrase takes to say: a fallback for browsers that never report
// an utterance's end, and the planner's measure of what fits in a gap.
export const speechSeconds = (text, rate = 1) => {
  const words = text.split(/\s+/).filter(Boolean).length;
  return words ? (0.5 + words * 0.42) / rate : 0;
};
const BREATH = 0.4; // silence between two phrases, and before a tone

export const durationWords = (seconds) => {
  const s = Math.round(seconds);
  const part = (n, unit) => (n ? `${n} ${unit}${n === 1 ? "" : "s"}` : "");
  return [part(Math.floor(s / 60), "minute"), part(s % 60, "second")].filter(Boolean).join(" ") || "0 seconds";
};

// Lay out phrases one after another from `from` seconds; return the end.
function place(list, texts, from, rate) {
  let t = from;
  for (const text of texts) {
    list.push({ at: t, text });
    t += speechSeconds(text, rate) + BREATH;
  }
  return t;
}

function gapStep(base, kind, label, opening, min, settings, tone, wait) {
  const step = { ...base, kind, label, say: [], tones: tone ? [{ at: 0, name: tone }] : [], wait };
  const end = place(step.say, wait ? [...opening, SAY.wait] : opening, tone ? toneLength(tone) + BREATH : 0, settings.rate);
  step.duration = Math.ceil(Math.max(min, end));
  if (!wait) for (let n = 3; n >= 1; n--) if (step.duration - n >= end) step.tones.push({ at: step.duration - n, name: "tick", optional: true });
  return step;
}

// `after`: the previous hold's end (or switch) tone, when no gap separates them.
function holdStep(base, hold, opening, cues, settings, after) {
  const tones = after ? [{ at: 0, name: after }] : [];
  tones.push({ at: after ? toneLength(after) + BREATH : 0, name: "start" });
  const step = { ...base, kind: "hold", label: "Hold", duration: hold, say: [], tones };
  const rate = settings.rate;
  let free = place(step.say, [...opening, SAY.hold(hold)], tones.at(-1).at + toneLength("start") + BREATH, rate);
  const fits = (text, at) => at >= free && at + speechSeconds(text, rate) <= hold - 1;
  const marks = settings.mid && hold >= 30 ? [[hold / 2, SAY.halfway], [hold - 10, SAY.ten]] : [];
  const pending = cues; // what does not fit waits for the stretch's next hold
  for (const [at, text] of [...marks, [hold, ""]]) {
    // Further cues fill the room before the next mark.
    while (pending.length && free + 1 + speechSeconds(pending[0], rate) <= Math.min(at - BREATH, hold - 1)) {
      free = place(step.say, [pending.shift()], free + 1, rate);
    }
    if (text && fits(text, at)) free = place(step.say, [text], at, rate);
  }
  return step;
}

export function buildSteps(data, settings) {
  const group = data.age_groups.find((g) => g.id === settings.age) || data.age_groups[0];
  const steps = [];
  let last = "walk"; // what the previous step was: its end decides the tone
  if (settings.walk) {
    const c = data.cooldown;
    const walk = { kind: "walk", label: "Walk", title: c.title, side: "", count: 0, of: 0, duration: c.minutes * 60, say: [], tones: [] };
    place(walk.say, [SAY.walk(c.title, c.minutes)], 0, settings.rate);
    steps.push(walk);
  }
  let equipment = ""; // what the previous stretch used: a change takes longer to set up
  let cues = []; // the stretch's further cues not yet placed in a hold
  data.stretches.forEach((s, index) => {
    if (settings.include && !settings.include.includes(s.slug)) return;
    const changes = s.equipment.join() !== equipment;
    equipment = s.equipment.join();
    const position = s.into_position ?? data.timer[changes ? "change_equipment" : "into_position"];
    const of = s.dose[settings.dose] || s.dose.min;
    const hold = settings.easier && s.easier ? s.easier[settings.dose] || s.easier.min : group.hold;
    const sides = s.sides === "each" ? s.side_names : [""];
    for (let count = 1; count <= of; count++) {
      sides.forEach((side, n) => {
        const base = { stretch: index, slug: s.slug, title: s.title, side, count, of, unit: Cap(one(s.dose.unit)) };
        const newStretch = count === 1 && !n;
        if (newStretch) cues = s.cues.slice(1);
        const release = last === "hold" ? [SAY.release] : [];
        const words = n ? [SAY.switch(side)]
          : newStretch ? [SAY.next(s.title, of, s.dose.unit, !!side), ...(side ? [SAY.first(side)] : []), ...s.cues.slice(0, 1)]
          : [SAY.count(s.dose.unit, count, of), ...(side ? [SAY.side(side)] : [])];
        const gap = n ? settings.switch : newStretch ? Math.max(settings.ready, position) : settings.ready;
        const wait = newStretch && !!settings.wait;
        const tone = last === "hold" ? (n ? "switch" : "end") : null;
        if (gap > 0 || wait) {
          steps.push(gapStep(base, n ? "switch" : "ready", n ? "Switch sides" : newStretch ? "Get into position" : "Get ready", [...release, ...words], gap, settings, tone, wait));
          steps.push(holdStep(base, hold, [], cues, settings, null));
        } else {
          steps.push(holdStep(base, hold, [...release, ...words], cues, settings, tone));
        }
        last = "hold";
      });
    }
  });
  let start = 0;
  for (const step of steps) {
    step.start = start;
    start += step.duration;
  }
  return steps;
}

// Index of the step running at `seconds` into the routine; steps.length when done.
export function stepAt(steps, seconds) {
  let i = 0;
  while (i < steps.length && seconds >= steps[i].start + steps[i].duration) i++;
  return i;
}

// What the runner does next that differs from now: the next stretch, side or round.
export function nextOf(steps, i) {
  const now = steps[i];
  for (let j = i + 1; j < steps.length; j++) {
    const s = steps[j];
    if (s.kind === "hold" && !(now && s.stretch === now.stretch && s.side === now.side && s.count === now.count)) return s;
  }
  return null;
}
