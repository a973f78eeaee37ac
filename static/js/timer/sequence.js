// The routine as a list of timed steps. Pure: data and settings in, steps out.
// Rules (the tests re-derive them from the content files):
// optional walk; then per stretch, per round/set/rep, per side: a gap
// ("ready" before the first side, "switch" before the second; left out when
// it is 0 s) and a hold. Hold = the age group's, or the easier range's low or
// high end (following the dose setting) when "easier" is on and offered.

const word = (unit) => unit.charAt(0).toUpperCase() + unit.slice(1, -1);

export function buildSteps(data, settings) {
  const group = data.age_groups.find((g) => g.id === settings.age) || data.age_groups[0];
  const steps = [];
  if (settings.walk) {
    const c = data.cooldown;
    steps.push({ kind: "walk", label: "Walk", title: c.title, duration: c.minutes * 60, say: `${c.title}. ${c.minutes} minutes of easy walking.` });
  }
  data.stretches.forEach((s, index) => {
    const of = s.dose[settings.dose] || s.dose.min;
    const hold = settings.easier && s.easier ? s.easier[settings.dose] || s.easier.min : group.hold;
    const sides = s.sides === "each" ? s.side_names : [""];
    for (let count = 1; count <= of; count++) {
      sides.forEach((side, n) => {
        const base = { stretch: index, title: s.title, side, count, of, unit: word(s.dose.unit) };
        const what = `${s.title}${side ? ", " + side : ""}, ${hold} seconds`;
        const gap = n ? settings.switch : settings.ready;
        const first = count === 1 && !n;
        if (gap > 0) {
          steps.push(n
            ? { ...base, kind: "switch", label: "Switch sides", duration: gap, say: `Switch sides: ${side}` }
            : { ...base, kind: "ready", label: "Get ready", duration: gap, say: first ? `Next: ${what}` : `${base.unit} ${count} of ${of}${side ? ", " + side : ""}` });
        }
        const say = gap > 0 ? "Hold" : n ? `Switch sides: ${side}, ${hold} seconds` : first ? what : `${base.unit} ${count} of ${of}, hold`;
        steps.push({ ...base, kind: "hold", label: "Hold", duration: hold, say });
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
