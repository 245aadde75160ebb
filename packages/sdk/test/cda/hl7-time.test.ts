import { describe, expect, it } from 'vitest';
import { dateToHl7, parseHl7Time, toXdsTime } from '../../src/index.js';

const ok = (value: string, opts = {}) => {
  const r = toXdsTime(value, opts);
  if (!r.ok) throw new Error(`${value}: ${r.message}`);
  return r;
};

describe('parseHl7Time', () => {
  it('reads each precision and the offset', () => {
    const r = parseHl7Time('20210401134745.123+0100');
    expect(r.ok && r.time).toMatchObject({ year: 2021, month: 4, day: 1, hour: 13, minute: 47, second: 45, fraction: '123', offsetMinutes: 60, precision: 'second' });
    const d = parseHl7Time('19790328');
    expect(d.ok && d.time.precision).toBe('day');
    expect(d.ok && d.time.offsetMinutes).toBeUndefined();
    const y = parseHl7Time('2021');
    expect(y.ok && y.time.precision).toBe('year');
    const neg = parseHl7Time('202101041230-0330');
    expect(neg.ok && neg.time).toMatchObject({ precision: 'minute', offsetMinutes: -210 });
  });

  it('refuses malformed and impossible values with a reason', () => {
    for (const bad of ['2021010', '20210230', '20211301', '20210101246000', '20210101120060', '2021-01-01', '20210101+01', '20210101120000+1500', '202101011200.5', '', 'abc']) {
      const r = parseHl7Time(bad);
      expect(r.ok, bad).toBe(false);
      expect(!r.ok && r.error.length > 0).toBe(true);
    }
    expect(parseHl7Time('20240229').ok).toBe(true);
    expect(parseHl7Time('20230229').ok).toBe(false);
  });
});

describe('toXdsTime', () => {
  it('converts a time with offset to UTC, across midnight, month and year ends', () => {
    expect(ok('20210401134745+0100').value).toBe('20210401124745');
    expect(ok('20210401134745+0200').basis).toBe('offset');
    expect(ok('20210101003000+0100').value).toBe('20201231233000');
    expect(ok('20201231233000-0100').value).toBe('20210101003000');
    expect(ok('20240301003000+0100').value).toBe('20240229233000');
    expect(ok('20210401134745+0000').value).toBe('20210401134745');
    expect(ok('20210401134745+0530').value).toBe('20210401081745');
  });

  it('keeps the precision of the source: minutes stay minutes, fractions are dropped', () => {
    expect(ok('202101040735+0100')).toMatchObject({ value: '202101040635', precision: 'minute' });
    expect(ok('2021010407+0100')).toMatchObject({ value: '2021010406', precision: 'hour' });
    expect(ok('20210104073512.5+0100').value).toBe('20210104063512');
  });

  it('keeps a date a date, with or without offset (no time of day is invented)', () => {
    expect(ok('19790328')).toMatchObject({ value: '19790328', precision: 'day', basis: 'date-only' });
    expect(ok('20210104+0100').value).toBe('20210104');
    expect(ok('202101').value).toBe('202101');
  });

  it('reports a local time without offset instead of guessing its zone', () => {
    const r = toXdsTime('20200701134745');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('NO_OFFSET');
    expect(!r.ok && r.local).toBe('20200701134745');
    expect(!r.ok && r.message).toMatch(/without UTC offset/);
  });

  it('reads a local time in a zone only when the caller names it, DST included', () => {
    expect(ok('20200701134745', { assumeTimeZone: 'Europe/Paris' })).toMatchObject({ value: '20200701114745', basis: 'assumed-time-zone' });
    expect(ok('20200115134745', { assumeTimeZone: 'Europe/Paris' }).value).toBe('20200115124745');
    // 2021-03-28 02:30 does not exist in Paris (clocks jump 02:00 → 03:00): resolved with one of the two offsets, not an error.
    expect(['20210328003000', '20210328013000']).toContain(ok('20210328023000', { assumeTimeZone: 'Europe/Paris' }).value);
    const bad = toXdsTime('20200701134745', { assumeTimeZone: 'Mars/Olympus' });
    expect(!bad.ok && bad.reason).toBe('INVALID');
  });

  it('reports invalid values as INVALID', () => {
    const r = toXdsTime('20211301120000+0100');
    expect(!r.ok && r.reason).toBe('INVALID');
  });
});

describe('dateToHl7', () => {
  it('writes a Date in UTC to the second with an explicit +0000', () => {
    expect(dateToHl7(new Date(Date.UTC(2024, 0, 5, 9, 30, 7)))).toBe('20240105093007+0000');
    expect(() => dateToHl7(new Date(Number.NaN))).toThrow(RangeError);
  });
});
