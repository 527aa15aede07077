import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantity, storageSize } from '../src/checks';
import { millicores, parseQuantity, quantityValue } from '../src/quantity';

// One grammar, Kubernetes' resource.Quantity: what the input checks accept is exactly what
// capacity and the pages can read, and the values are Kubernetes' values.

const VALID: ReadonlyArray<[string, number]> = [
  ['0', 0],
  ['1', 1],
  ['250m', 0.25],
  ['500u', 0.0005],
  ['100n', 1e-7],
  ['1.5', 1.5],
  ['.5', 0.5],
  ['5.', 5],
  ['+2', 2],
  ['1k', 1e3],
  ['1M', 1e6],
  ['1E', 1e18],
  ['1E3', 1e3],
  ['1e-3', 1e-3],
  ['12e+6', 12e6],
  ['512Mi', 512 * 2 ** 20],
  ['1.5Gi', 1.5 * 2 ** 30],
  ['1Ei', 2 ** 60],
];

const INVALID = ['', ' 1', '1 Gi', '20 GB', '1K', '1KiB', '1e', '1e1.5', 'Mi', 'e3', '1.2.3', '--1', '1m m', 'lots', '0x10', '1gi'];

describe('the quantity grammar', () => {
  it.each(VALID)('%s is a quantity of value %d, for the checks and for capacity alike', (text, value) => {
    expect(quantity(text)).toBeUndefined();
    expect(parseQuantity(text)?.value).toBeCloseTo(value, 12);
    expect(quantityValue(text) / value || 0).toBeCloseTo(value === 0 ? 0 : 1, 12);
  });

  it.each(INVALID)('%j is no quantity, for the checks and for capacity alike', (text) => {
    expect(quantity(text)).toMatch(/is not a Kubernetes quantity/);
    expect(parseQuantity(text)).toBeUndefined();
    expect(quantityValue(text)).toBeNaN();
  });

  it('accepts a negative quantity by grammar, but no input may be negative', () => {
    expect(parseQuantity('-1')?.value).toBe(-1);
    expect(quantity('-1')).toBe('"-1" is negative; use e.g. "250m", "512Mi" or "20Gi"');
  });

  it('reads CPU in millicores', () => {
    expect(millicores('1.5')).toBe(1500);
    expect(millicores('250m')).toBe(250);
    expect(millicores('500000u')).toBe(500);
  });

  it('takes no fraction of a byte for storage', () => {
    expect(storageSize('20Gi')).toBeUndefined();
    expect(storageSize('500m')).toBe('"500m" is a milli-quantity; storage takes bytes such as "20Gi"');
    expect(storageSize('500u')).toBe('"500u" is a micro-quantity; storage takes bytes such as "20Gi"');
    expect(storageSize('100n')).toBe('"100n" is a nano-quantity; storage takes bytes such as "20Gi"');
    // Without a fractional suffix, a fraction of a byte is still one.
    expect(storageSize('1.5Ki')).toBeUndefined();
    expect(storageSize('1e-3')).toBe('"1e-3" is no whole number of bytes; storage takes bytes such as "20Gi"');
    expect(storageSize('0.5')).toBe('"0.5" is no whole number of bytes; storage takes bytes such as "20Gi"');
  });

  it('reads zero with a huge exponent as zero, not NaN', () => {
    expect(parseQuantity('0E1125')?.value).toBe(0);
    expect(quantity('0E1125')).toBeUndefined();
  });

  it('agrees between check and parser on any string built from the grammar and its near misses', () => {
    const part = fc.constantFrom('', '+', '-', '0', '1', '12', '.', '5', 'e', 'E', '3', 'Ki', 'Mi', 'K', 'i', 'n', 'u', 'm', 'k', 'M', 'G', ' ');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const text = parts.join('');
        const parsed = parseQuantity(text);
        expect(quantity(text) === undefined).toBe(parsed !== undefined && parsed.value >= 0);
      }),
      { numRuns: 2000 },
    );
  });
});
