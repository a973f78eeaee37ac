// A small routine for the unit tests, shaped like stretchsite/routine.py's data
// (made up here, so the tests do not move when the content does). Its phrases
// are the real catalogue's (stretchsite/phrases.py), and `pseudo` the test-only
// pseudo-language's (tests/pseudo.py): tests/test_js_units.py hands both over
// in STRETCHSITE_PHRASES; run by hand, they are asked from Python.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const python = existsSync(".venv/bin/python") ? ".venv/bin/python" : "python3";
const phrases = JSON.parse(process.env.STRETCHSITE_PHRASES || execFileSync(python, ["-m", "tests.pseudo"], { encoding: "utf8" }));
export const pseudo = phrases.pseudo;

export const data = {
  phrases: phrases.real,
  age_groups: [
    { id: "young", label: "Young", hold: 30 },
    { id: "older", label: "Older", hold: 60 },
  ],
  timer: { get_ready: 5, switch_sides: 5, into_position: 10, change_equipment: 20 },
  limits: { gap: [0, 60], position: [0, 300], rate: [0.8, 1.5], rates: [0.8, 1, 1.25, 1.5] },
  cooldown: { title: "Walk first", minutes: 3 },
  equipment: [{ id: "foam-roller", name: "foam roller" }, { id: "step", name: "step" }],
  stretches: [
    { slug: "roll", title: "Roll", sides: "both", side_names: [], equipment: ["foam roller"], needs: ["foam-roller"], into_position: null, dose: { unit: "rounds", min: 1, max: 3 }, easier: null, cues: ["Roller under the back", "Head down", "Hips stay low"] },
    { slug: "lift", title: "Lift", sides: "both", side_names: [], equipment: ["none"], needs: [], into_position: null, dose: { unit: "reps", min: 5, max: 5 }, easier: { min: 5, max: 10 }, cues: ["On your back", "Breathe out and lift", "Back flat"] },
    { slug: "rock", title: "Rock", sides: "both", side_names: [], equipment: ["none"], needs: [], into_position: null, dose: { unit: "reps", min: 2, max: 2 }, easier: null, cues: ["Hands down", "Sit back"] },
    { slug: "lean", title: "Lean", sides: "each", side_names: ["right leg", "left leg"], equipment: ["step"], needs: ["step"], into_position: 45, dose: { unit: "sets", min: 1, max: 2 }, easier: null, cues: ["Heel off the edge of a step, drop it slowly", "Knee straight"] },
  ],
};

export const settings = { age: "young", dose: "min", easier: false, walk: false, ready: 5, switch: 5, wait: false, sound: true, voice: true, mid: true, track: true, rate: 1, speaker: "" };
