/**
 * Header times. XDS times are UTC (dmp-interface.md §5.2, §10.2): a CDA time of day without a UTC offset
 * cannot be converted without guessing. creationTime (effectiveTime) must be to the second (§10.1).
 * serviceStartTime ≤ serviceStopTime.
 */
import { parseHl7Time, type Hl7Time } from '../../cda/hl7-time.js';
import type { TS } from '../../cda/header.js';
import type { DmpRuleId } from '../rules/dmp-catalogue.js';
import type { DmpContext, DmpRule } from './context.js';

const DAY_PRECISIONS = new Set(['year', 'month', 'day']);
const PRECISION_LABEL: Record<string, { fr: string; en: string }> = {
  year: { fr: 'année', en: 'year' },
  month: { fr: 'mois', en: 'month' },
  day: { fr: 'jour', en: 'day' },
  hour: { fr: 'heure', en: 'hour' },
  minute: { fr: 'minute', en: 'minute' },
  second: { fr: 'seconde', en: 'second' },
};

const INVALID_FR = 'attendu AAAAMMJJ[HHMM[SS[.S]]][+/-HHMM], date et heure existantes';

/**
 * Parses a time; reports it when unreadable, or when a time of day has no UTC offset: as an error for the
 * times that become XDS metadata, as a warning for the others. Returns the parsed time (even without offset).
 */
function readTime(
  ctx: DmpContext,
  ts: TS | undefined,
  element: string,
  kind: 'xds' | 'participant',
  attribute?: string,
): Hl7Time | undefined {
  const [invalidRule, offsetRule]: [DmpRuleId, DmpRuleId] =
    kind === 'xds' ? ['DMP-TIME-INVALID', 'DMP-TIME-OFFSET'] : ['DMP-TIME-INVALID-PARTICIPANT', 'DMP-TIME-OFFSET-PARTICIPANT'];
  const value = ts?.value?.trim();
  if (!ts || !value) return undefined;
  const parsed = parseHl7Time(value);
  if (!parsed.ok) {
    ctx.report(invalidRule, { element, value, detail: parsed.error, detailFr: INVALID_FR }, ts);
    return undefined;
  }
  if (!DAY_PRECISIONS.has(parsed.time.precision) && parsed.time.offsetMinutes === undefined) {
    ctx.report(offsetRule, { element, value, attribute: attribute ?? '' }, ts);
  }
  return parsed.time;
}

/** ClinicalDocument/effectiveTime → creationTime: present, valid, to the second, with offset. */
export const checkCreationTime: DmpRule = (ctx) => {
  const ts = ctx.header.effectiveTime;
  if (!ts?.value?.trim()) {
    ctx.report('DMP-CREATIONTIME-MISSING', {}, ts);
    return;
  }
  const t = readTime(ctx, ts, 'ClinicalDocument/effectiveTime', 'xds', 'creationTime');
  if (t && t.precision !== 'second') {
    const label = PRECISION_LABEL[t.precision]!;
    ctx.report('DMP-CREATIONTIME-PRECISION', { precision: label.en, precisionFr: label.fr }, ts);
  }
};

const HOUR = 3600_000;

/** The UTC instants a time may denote: [earliest, end) — widened by ±14 h when the offset is unknown. */
export function instantRange(t: Hl7Time): [number, number] {
  const start = Date.UTC(t.year, (t.month ?? 1) - 1, t.day ?? 1, t.hour ?? 0, t.minute ?? 0, t.second ?? 0);
  let end: number;
  switch (t.precision) {
    case 'year':
      end = Date.UTC(t.year + 1, 0, 1);
      break;
    case 'month':
      end = Date.UTC(t.year, t.month!, 1);
      break;
    case 'day':
      end = start + 24 * HOUR;
      break;
    case 'hour':
      end = start + HOUR;
      break;
    case 'minute':
      end = start + 60_000;
      break;
    default:
      end = start + 1000;
  }
  if (t.offsetMinutes !== undefined && !DAY_PRECISIONS.has(t.precision)) {
    return [start - t.offsetMinutes * 60_000, end - t.offsetMinutes * 60_000];
  }
  return [start - 14 * HOUR, end + 14 * HOUR];
}

/** documentationOf[1]/serviceEvent/effectiveTime → serviceStartTime (required) / serviceStopTime, in order. */
export const checkServiceTimes: DmpRule = (ctx) => {
  const se = ctx.header.documentationOf[0];
  const ivl = se?.effectiveTime;
  const base = 'documentationOf/serviceEvent/effectiveTime';
  if (!ivl?.low?.value?.trim()) {
    // A low with a nullFlavor is as missing as no low: serviceStartTime is required.
    ctx.report('DMP-SERVICE-START-MISSING', {}, ivl?.low ?? ivl ?? se);
  }
  const low = readTime(ctx, ivl?.low, `${base}/low`, 'xds', 'serviceStartTime');
  const high = readTime(ctx, ivl?.high, `${base}/high`, 'xds', 'serviceStopTime');
  if (low && high && instantRange(low)[0] >= instantRange(high)[1]) {
    ctx.report('DMP-SERVICE-TIME-ORDER', { low: low.raw, high: high.raw }, ivl);
  }
};

/** author/time and legalAuthenticator/time: readable, with an offset when they carry a time of day. */
export const checkParticipantTimes: DmpRule = (ctx) => {
  ctx.header.authors.forEach((a, i) => {
    readTime(ctx, a.time, `author[${i + 1}]/time`, 'participant');
  });
  readTime(ctx, ctx.header.legalAuthenticator?.time, 'legalAuthenticator/time', 'participant');
};
