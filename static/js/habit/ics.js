// A repeating reminder as an iCalendar file (RFC 5545), made on the device:
// no server, no account. Floating local time, so 18:30 stays 18:30 for the
// runner wherever the calendar is, without shipping time zone rules.

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

// TEXT values escape backslash, semicolon, comma and line breaks (3.3.11).
const text = (s) => String(s).replace(/[\\;,]/g, "\\$&").replace(/\r?\n/g, "\\n");
const two = (n) => String(n).padStart(2, "0");
const stamp = (d) => `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;

// Lines longer than 75 octets are folded: CRLF and one space (3.1), never inside a UTF-8 character.
function fold(line) {
  const bytes = new TextEncoder();
  const out = [];
  let current = "";
  for (const char of line) {
    if (bytes.encode(current + char).length > (out.length ? 74 : 75)) out.push(current), (current = "");
    current += char;
  }
  out.push(current);
  return out.join("\r\n ");
}

// The first day on or after `now` that is one of `days`, at `time`, still to come.
function firstOccurrence(days, [hour, minute], now) {
  for (let i = 0; i < 8; i++) {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + i, hour, minute);
    if (days.includes(WEEKDAYS[(d.getDay() + 6) % 7]) && d > now) return d;
  }
}

// days: ["MO", "TH"], time: "18:30", url: the timer preset to open; `say`: the page's
// phrases (../phrases.js), for the event's title and note and for what is wrong.
export function reminderIcs(say, { days, time, url, host, now = new Date(), minutes = 15 }) {
  const [title, note] = [say("habit.reminder.title"), say("habit.reminder.note")];
  const order = WEEKDAYS.filter((d) => days.includes(d));
  if (!order.length) throw new Error(say("habit.reminder.no_day"));
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new Error(say("habit.reminder.bad_time"));
  const start = firstOccurrence(order, [+match[1], +match[2]], now);
  const local = `${start.getFullYear()}${two(start.getMonth() + 1)}${two(start.getDate())}T${two(start.getHours())}${two(start.getMinutes())}00`;
  const uid = `${globalThis.crypto?.randomUUID?.() || now.getTime().toString(36) + Math.random().toString(36).slice(2)}@${host || "after-the-run"}`;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//After the Run//Stretching reminder//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${uid}`,
    `DTSTAMP:${stamp(now)}`,
    `DTSTART:${local}`,
    `DURATION:PT${minutes}M`,
    `RRULE:FREQ=WEEKLY;BYDAY=${order.join(",")}`,
    `SUMMARY:${text(title)}`,
    `DESCRIPTION:${text(`${note}\n${url}`)}`,
    `URL:${url}`,
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    `DESCRIPTION:${text(title)}`,
    "TRIGGER:PT0S",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}
