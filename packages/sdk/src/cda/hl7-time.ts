/**
 * HL7 v3 TS values (`YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]`) and their XDS form (UTC `yyyyMMdd[HH[mm[ss]]]`).
 *
 * XDS times are UTC. A CDA time with an offset converts exactly; a CDA time of the day without an offset
 * is local to an unknown zone, so it is reported as such and never guessed (unless the caller names
 * the zone). Precision is kept: a date stays a date, a minute stays a minute.
 */

export type Hl7Precision = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

export interface Hl7Time {
  /** The value as written. */
  raw: string;
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Fractional seconds digits, as written (dropped in the XDS form, which stops at seconds). */
  fraction?: string;
  /** Offset from UTC in minutes (e.g. +0100 → 60); undefined when the value has none. */
  offsetMinutes?: number;
  precision: Hl7Precision;
}

export type Hl7TimeResult = { ok: true; time: Hl7Time } | { ok: false; error: string };

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;
const PRECISIONS: Hl7Precision[] = ['year', 'month', 'day', 'hour', 'minute', 'second'];

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses an HL7 TS value strictly (calendar-checked). */
export function parseHl7Time(value: string): Hl7TimeResult {
  const m = TS.exec(value);
  if (!m) return { ok: false, error: `"${value}" is not an HL7 TS (YYYYMMDD[HHMM[SS[.S]]][+/-ZZZZ])` };
  const [, y, mo, d, h, mi, s, frac, off] = m;
  // The regex lets a later group match while an earlier one is absent only for the fraction.
  if (frac !== undefined && s === undefined) return { ok: false, error: `"${value}": fractional seconds need seconds` };
  const parts = [y, mo, d, h, mi, s].filter((p) => p !== undefined).length;
  const time: Hl7Time = { raw: value, year: Number(y), precision: PRECISIONS[parts - 1]! };
  if (mo !== undefined) time.month = Number(mo);
  if (d !== undefined) time.day = Number(d);
  if (h !== undefined) time.hour = Number(h);
  if (mi !== undefined) time.minute = Number(mi);
  if (s !== undefined) time.second = Number(s);
  if (frac !== undefined) time.fraction = frac;
  if (time.month !== undefined && (time.month < 1 || time.month > 12)) return { ok: false, error: `"${value}": month ${mo} is out of range` };
  if (time.day !== undefined && (time.day < 1 || time.day > daysIn(time.year, time.month!))) {
    return { ok: false, error: `"${value}": day ${d} does not exist in ${y}-${mo}` };
  }
  if (time.hour !== undefined && time.hour > 23) return { ok: false, error: `"${value}": hour ${h} is out of range` };
  if (time.minute !== undefined && time.minute > 59) return { ok: false, error: `"${value}": minute ${mi} is out of range` };
  if (time.second !== undefined && time.second > 59) return { ok: false, error: `"${value}": second ${s} is out of range` };
  if (off !== undefined) {
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(3, 5));
    if (oh > 14 || om > 59) return { ok: false, error: `"${value}": offset ${off} is out of range` };
    time.offsetMinutes = (off.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return { ok: true, time };
}

export type XdsTimeResult =
  | {
      ok: true;
      /** UTC value, `yyyyMMdd[HH[mm[ss]]]`, as precise as the source (fractions dropped). */
      value: string;
      precision: Hl7Precision;
      /** How the UTC value was obtained. */
      basis: 'offset' | 'date-only' | 'assumed-time-zone';
    }
  | {
      ok: false;
      reason: 'INVALID' | 'NO_OFFSET';
      message: string;
      /** For NO_OFFSET: the local wall-clock value, so callers can show it. */
      local?: string;
    };

export interface ToXdsTimeOptions {
  /**
   * IANA zone (e.g. `Europe/Paris`) to read a time of day that has no offset. Only use it when the
   * producing system is known to write local times in that zone: otherwise the value is refused.
   */
  assumeTimeZone?: string;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function digitsFor(date: Date, precision: Hl7Precision): string {
  const full =
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds());
  return full.slice(0, [4, 6, 8, 10, 12, 14][PRECISIONS.indexOf(precision)]);
}

function wallClockMs(t: Hl7Time): number {
  return Date.UTC(t.year, (t.month ?? 1) - 1, t.day ?? 1, t.hour ?? 0, t.minute ?? 0, t.second ?? 0);
}

/** Offset (minutes) of a zone at a UTC instant, via Intl (no time-zone database of our own). */
function zoneOffsetMinutes(timeZone: string, utcMs: number): number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p = Object.fromEntries(fmt.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return Math.round((asUtc - utcMs) / 60000);
}

/** Converts a parsed HL7 time to the XDS UTC form. */
export function hl7TimeToXds(t: Hl7Time, options: ToXdsTimeOptions = {}): XdsTimeResult {
  const wall = wallClockMs(t);
  if (t.precision === 'year' || t.precision === 'month' || t.precision === 'day') {
    // A date has no instant: shifting it by an offset would invent a time of day.
    return { ok: true, value: t.raw.slice(0, { year: 4, month: 6, day: 8 }[t.precision]), precision: t.precision, basis: 'date-only' };
  }
  if (t.offsetMinutes !== undefined) {
    return { ok: true, value: digitsFor(new Date(wall - t.offsetMinutes * 60000), t.precision), precision: t.precision, basis: 'offset' };
  }
  const local = digitsFor(new Date(wall), t.precision);
  if (options.assumeTimeZone) {
    let offset: number;
    try {
      offset = zoneOffsetMinutes(options.assumeTimeZone, wall);
      // Around a DST change the offset at the guessed instant may differ: one refinement settles it.
      offset = zoneOffsetMinutes(options.assumeTimeZone, wall - offset * 60000);
    } catch {
      return { ok: false, reason: 'INVALID', message: `unknown time zone "${options.assumeTimeZone}"` };
    }
    return { ok: true, value: digitsFor(new Date(wall - offset * 60000), t.precision), precision: t.precision, basis: 'assumed-time-zone' };
  }
  return {
    ok: false,
    reason: 'NO_OFFSET',
    message: `"${t.raw}" is a local time without UTC offset: its UTC value is unknown`,
    local,
  };
}

/** Parses an HL7 TS and converts it to the XDS UTC form in one step. */
export function toXdsTime(value: string, options: ToXdsTimeOptions = {}): XdsTimeResult {
  const parsed = parseHl7Time(value.trim());
  if (!parsed.ok) return { ok: false, reason: 'INVALID', message: parsed.error };
  return hl7TimeToXds(parsed.time, options);
}

/** Formats a JS Date as an HL7 TS to the second, in UTC with an explicit `+0000` offset. */
export function dateToHl7(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
  return `${digitsFor(date, 'second')}+0000`;
}
