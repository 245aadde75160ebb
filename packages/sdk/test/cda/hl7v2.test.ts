import { describe, expect, it } from 'vitest';
import { escapeHl7v2, formatCodedSlot, formatCx, formatXcn, formatXon } from '../../src/index.js';

describe('HL7 v2 composites for XDS slots', () => {
  it('escapes every delimiter', () => {
    expect(escapeHl7v2('a|b^c&d~e\\f')).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f');
  });

  it('formats CX with an ISO assigning authority', () => {
    expect(formatCx('279035121518989', '1.2.250.1.213.1.4.10', 'NH')).toBe('279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH');
  });

  it('formats XCN with the identifier type implied by the authority', () => {
    expect(formatXcn({ id: { root: '1.2.250.1.71.4.2.1', extension: '899900063480' }, family: 'MAX', given: 'LIBRE', nameType: 'D' })).toBe(
      '899900063480^MAX^LIBRE^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS',
    );
    expect(formatXcn({ id: { root: '1.2.250.1.213.1.4.8', extension: '100000000000001' }, family: 'P', nameType: 'D' })).toBe(
      '100000000000001^P^^^^^^^&1.2.250.1.213.1.4.8&ISO^D^^^NH',
    );
    // Without extension the root is the id value, with no authority (nothing to qualify it with).
    expect(formatXcn({ id: { root: '1.2.3.4' }, nameType: 'U' })).toBe('1.2.3.4^^^^^^^^^U^^^RI');
  });

  it('formats XON with IDNST for a Struct_IdNat, and degrades to the bare name', () => {
    expect(formatXon('CABINET DR LIBRE', { root: '1.2.250.1.71.4.2.2', extension: '499900063480001' })).toBe(
      'CABINET DR LIBRE^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001',
    );
    expect(formatXon('Org', { root: '1.2.3' })).toBe('Org^^^^^&1.2.3&ISO^');
    expect(formatXon('Org & co', undefined)).toBe('Org \\T\\ co');
  });

  it('formats coded slots as code^display^system', () => {
    expect(formatCodedSlot('G15_10/SM26', 'Médecin - Qualifié en Médecine Générale (SM)', '1.2.250.1.213.1.1.4.5')).toBe(
      'G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5',
    );
  });
});
