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
import { phrasebook } from "../phrases.js";
import { toneLength } from "./tones.js";

// Spoken lines are the routine data's phrases (say = phrasebook(data.phrases));
// names, sides and cues come from the content. A line starts with a capital.
const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
export const spoken = (say, key, values) => capital(say(`timer.say.${key}`, values));

// How long a phrase takes to say: a fallback for browsers that never report
// an utterance's end, and the planner's measure of what fits in a gap.
export const speechSeconds = (text, rate = 1) => {
  const words = text.split(/\s+/).filter(Boolean).length;
  return words ? (0.5 + words * 0.42) / rate : 0;
};
const BREATH = 0.4; // silence between two phrases, and before a tone

// Lay out phrases one after another from `from` seconds; return the end.
function place(list, texts, from, rate) {
  let t = from;
  for (const text of texts) {
    list.push({ at: t, text });
    t += speechSeconds(text, rate) + BREATH;
  }
  return t;
}

function gapStep(say, base, kind, label, opening, min, settings, tone, wait) {
  const step = { ...base, kind, label, say: [], tones: tone ? [{ at: 0, name: tone }] : [], wait };
  const end = place(step.say, wait ? [...opening, spoken(say, "wait")] : opening, tone ? toneLength(tone) + BREATH : 0, settings.rate);
  step.duration = Math.ceil(Math.max(min, end));
  if (!wait) for (let n = 3; n >= 1; n--) if (step.duration - n >= end) step.tones.push({ at: step.duration - n, name: "tick", optional: true });
  return step;
}

// `after`: the previous hold's end (or switch) tone, when no gap separates them.
function holdStep(say, base, hold, opening, cues, settings, after) {
  const tones = after ? [{ at: 0, name: after }] : [];
  tones.push({ at: after ? toneLength(after) + BREATH : 0, name: "start" });
  const step = { ...base, kind: "hold", label: say("timer.kind.hold"), duration: hold, say: [], tones };
  const rate = settings.rate;
  let free = place(step.say, [...opening, spoken(say, "hold", { seconds: say.count(hold, "seconds") })], tones.at(-1).at + toneLength("start") + BREATH, rate);
  const fits = (text, at) => at >= free && at + speechSeconds(text, rate) <= hold - 1;
  const marks = settings.mid && hold >= 30 ? [[hold / 2, spoken(say, "halfway")], [hold - 10, spoken(say, "ten")]] : [];
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
  const say = phrasebook(data.phrases);
  const line = (key, values) => spoken(say, key, values);
  const group = data.age_groups.find((g) => g.id === settings.age) || data.age_groups[0];
  const steps = [];
  let last = "walk"; // what the previous step was: its end decides the tone
  if (settings.walk) {
    const c = data.cooldown;
    const walk = { kind: "walk", label: say("timer.kind.walk"), title: c.title, where: c.title, round: "", side: "", count: 0, of: 0, duration: c.minutes * 60, say: [], tones: [] };
    place(walk.say, [line("walk", { title: c.title, minutes: say.count(c.minutes, "minutes") })], 0, settings.rate);
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

        const round = of > 1 ? say("timer.step_count", { unit: capital(say.unit(s.dose.unit, 1)), n: count, of }) : "";
        const where = [s.title, side, round].filter(Boolean).join(say("list.separator"));
        const base = { stretch: index, slug: s.slug, title: s.title, side, count, of, round, where };
        const newStretch = count === 1 && !n;
        if (newStretch) cues = s.cues.slice(1);
        const release = last === "hold" ? [line("release")] : [];
        const words = n ? [line("switch", { side })]
          : newStretch ? [line(side ? "next_each" : "next", { title: s.title, count: say.count(of, s.dose.unit) }), ...(side ? [line("first", { side })] : []), ...s.cues.slice(0, 1)]
          : [line(count === of ? "count_last" : "count", { unit: say.unit(s.dose.unit, 1), n: count, of }), ...(side ? [line("side", { side })] : [])];
        const gap = n ? settings.switch : newStretch ? Math.max(settings.ready, position) : settings.ready;
        const wait = newStretch && !!settings.wait;
        const tone = last === "hold" ? (n ? "switch" : "end") : null;
        if (gap > 0 || wait) {
          const label = say(`timer.kind.${n ? "switch" : newStretch ? "position" : "ready"}`);
          steps.push(gapStep(say, base, n ? "switch" : "ready", label, [...release, ...words], gap, settings, tone, wait));
          steps.push(holdStep(say, base, hold, [], cues, settings, null));
        } else {
          steps.push(holdStep(say, base, hold, [...release, ...words], cues, settings, tone));
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
