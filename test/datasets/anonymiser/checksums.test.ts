import { describe, expect, it } from 'vitest';
import { isValidIban, passesLuhn } from '../../../src-main/datasets/anonymiser/checksums';

describe('passesLuhn', () => {
  it('accepts card numbers of every network with a right check digit', () => {
    for (const number of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '36259600000004']) {
      expect(passesLuhn(number), number).toBe(true);
    }
  });

  it('refuses a number whose check digit is wrong, and anything not all digits', () => {
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('5555555555554445')).toBe(false);
    expect(passesLuhn('4111 1111 1111 1111')).toBe(false);
    expect(passesLuhn('')).toBe(false);
  });
});

describe('isValidIban', () => {
  it('accepts IBANs of several countries, in any case', () => {
    for (const iban of ['DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300', 'no9386011117947', 'CH9300762011623852957']) {
      expect(isValidIban(iban), iban).toBe(true);
    }
  });

  it('refuses a wrong check digit, a wrong length for the country and a malformed value', () => {
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('DE8937040044053201300')).toBe(false);
    expect(isValidIban('GB00NWBK60161331926819')).toBe(false);
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(false);
    expect(isValidIban('1234567890123456')).toBe(false);
  });

  it('checks a country it has no length for against the 15–34 range only', () => {
    // ZZ is not a registered country; its check digits are computed so that mod 97 holds.
    expect(isValidIban('ZZ33123456789012345')).toBe(true);
    expect(isValidIban('ZZ3312345678')).toBe(false);
  });
});
