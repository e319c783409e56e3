import { describe, expect, it } from 'vitest';
import { actionSet, classSet, classesOf, purposeSet, purposesOf } from '../src/vocabulary';
import { gs1Expiry, parseGs1 } from '../src/custody';
import { npiCheckDigit } from '../src/participants';

describe('vocabulary bitsets (as contracts/interfaces)', () => {
  it('encode and decode', () => {
    expect(purposeSet(['Treatment', 'Payment'])).toBe(0b101);
    expect(actionSet(['Read', 'Write'])).toBe(0b11);
    expect(classSet(['Labs'], true)).toBe(0x8008);
    expect(purposesOf(0b101)).toEqual(['Treatment', 'Payment']);
    expect(classesOf(0x8080)).toEqual(['every non-sensitive class', 'MentalHealth']);
  });
});

describe('GS1 and NPI', () => {
  it('parses a DataMatrix element string, with FNC1 or parentheses', () => {
    const pack = { gtin: '00312345678906', serial: 'SN123', lot: 'LOT7', expiry: Date.UTC(2027, 5, 30), expiryGs1: '270630' };
    expect(parseGs1('0100312345678906172706301' + '0LOT7\u001d21SN123')).toEqual(pack);
    expect(parseGs1('(01)00312345678906(17)270630(10)LOT7(21)SN123')).toEqual(pack);
    expect(parseGs1(']d20100312345678906172706001' + '0LOT7<GS>21SN123')).toEqual({ ...pack, expiryGs1: '270600' });
    expect(gs1Expiry('240200')).toBe(Date.UTC(2024, 1, 29));
    expect(() => parseGs1('0100312345678906')).toThrow(/needs/);
  });
  it('NPI check digit (CMS example 123456789 -> 3)', () => {
    expect(npiCheckDigit(123456789)).toBe(3);
  });
});
