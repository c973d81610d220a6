import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';

import { InvalidOptionError, isHostingError } from '../../../lib';
import { MAX_TIMER_MS } from '../../../lib/hosting.constants';
import {
  bool,
  duration,
  finiteNumber,
  func,
  knownKeys,
  nonEmptyString,
  oneOf,
  optionalSignal,
  optionsObject,
  period,
  positiveInt,
  timeout,
} from '../../../lib/options/validate';

/** What `act` threw, checked to be the library's typed option error naming `option` and `value`. */
function optionError(act: () => unknown, option: string, value: unknown): InvalidOptionError {
  let error: unknown;
  try {
    act();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidOptionError);
  expect(error).toBeInstanceOf(TypeError);
  expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
  const typed = error as InvalidOptionError;
  expect(typed.option).toBe(option);
  expect(Object.is(typed.value, value)).toBe(true);
  expect(typed.message).toMatch(new RegExp(`^Expected \`${option}\` to be .+, got `));
  expect(typed.message).toContain(`\`${inspect(value)}\``);
  return typed;
}

describe('the option checks', () => {
  describe('timeout (ms from 0 to MAX_TIMER_MS, or Infinity)', () => {
    it.each([0, 1, 0.5, MAX_TIMER_MS, Infinity])('accepts %p', (value) => {
      expect(timeout('t', value, 5)).toBe(value);
    });
    it('gives the default for undefined', () => expect(timeout('t', undefined, 5)).toBe(5));
    it.each([-1, NaN, -Infinity, MAX_TIMER_MS + 1, '5', null, 5n])('rejects %p', (value) => {
      const error = optionError(() => timeout('t', value, 5), 't', value);
      expect(error.message).toContain(String(MAX_TIMER_MS));
    });
    it('rejects Infinity where "no limit" is not allowed', () => {
      optionError(() => timeout('t', Infinity, 5, { orInfinity: false }), 't', Infinity);
    });
  });

  describe('period (ms above 0, at most MAX_TIMER_MS; required)', () => {
    it.each([1, 0.5, MAX_TIMER_MS])('accepts %p', (value) => expect(period('p', value)).toBe(value));
    it.each([0, -1, NaN, Infinity, MAX_TIMER_MS + 1, undefined, '5'])('rejects %p', (value) => {
      optionError(() => period('p', value), 'p', value);
    });
  });

  describe('duration (ms >= 0; Infinity means never; no upper bound)', () => {
    it.each([0, 1, MAX_TIMER_MS + 1, Infinity])('accepts %p', (value) => expect(duration('ms', value)).toBe(value));
    it.each([-1, NaN, -Infinity, undefined, '5'])('rejects %p', (value) => {
      optionError(() => duration('ms', value), 'ms', value);
    });
  });

  describe('positiveInt', () => {
    it.each([1, 2, 1_000_000])('accepts %p', (value) => expect(positiveInt('n', value)).toBe(value));
    it('gives the default for undefined', () => expect(positiveInt('n', undefined, 3)).toBe(3));
    it.each([0, -1, 1.5, NaN, Infinity, '2', null])('rejects %p', (value) => {
      expect(optionError(() => positiveInt('n', value, 3), 'n', value).message).toContain('a positive integer,');
    });
    it('accepts Infinity only with orInfinity, and says so', () => {
      expect(positiveInt('n', Infinity, 3, { orInfinity: true })).toBe(Infinity);
      expect(optionError(() => positiveInt('n', 0, 3, { orInfinity: true }), 'n', 0).message).toContain(
        'a positive integer or Infinity',
      );
    });
  });

  describe('finiteNumber', () => {
    it.each([0, -5, 1.5])('accepts %p', (value) => expect(finiteNumber('x', value)).toBe(value));
    it.each([NaN, Infinity, -Infinity, '1'])('rejects %p', (value) => {
      optionError(() => finiteNumber('x', value), 'x', value);
    });
    it('rejects a number below min', () => {
      expect(optionError(() => finiteNumber('x', -1, undefined, { min: 0 }), 'x', -1).message).toContain('>= 0');
    });
  });

  describe('bool, func, nonEmptyString, oneOf', () => {
    it('bool accepts booleans and gives the default for undefined', () => {
      expect(bool('b', false, true)).toBe(false);
      expect(bool('b', undefined, true)).toBe(true);
    });
    it.each([1, 'true', null])('bool rejects %p', (value) => {
      expect(optionError(() => bool('b', value, true), 'b', value).message).toContain('a boolean');
    });

    it('func accepts a function or undefined', () => {
      const f = (): void => undefined;
      expect(func('f', f)).toBe(f);
      expect(func('f', undefined)).toBeUndefined();
    });
    it.each(['f', {}, null])('func rejects %p', (value) => {
      optionError(() => func('f', value), 'f', value);
    });

    it('nonEmptyString', () => {
      expect(nonEmptyString('s', undefined, 'default')).toBe('default');
      optionError(() => nonEmptyString('s', '', 'default'), 's', '');
      optionError(() => nonEmptyString('s', 42, 'default'), 's', 42);
    });

    it('oneOf lists the allowed values', () => {
      expect(oneOf('m', undefined, ['a', 'b', 'c'], 'b')).toBe('b');
      expect(oneOf('m', 'c', ['a', 'b', 'c'], 'b')).toBe('c');
      const error = optionError(() => oneOf('m', 'A', ['a', 'b', 'c'], 'b'), 'm', 'A');
      expect(error.message).toContain("'a', 'b' or 'c'");
    });
  });

  describe('optionalSignal', () => {
    it('accepts an AbortSignal or undefined', () => {
      const { signal } = new AbortController();
      expect(optionalSignal('signal', signal)).toBe(signal);
      expect(optionalSignal('signal', undefined)).toBeUndefined();
    });
    it.each([{}, 'signal', { aborted: false }, { aborted: false, addEventListener: () => undefined }, null])(
      'rejects %p',
      (value) => {
        expect(optionError(() => optionalSignal('signal', value), 'signal', value).message).toContain('an AbortSignal');
      },
    );
  });

  describe('optionsObject and knownKeys', () => {
    it('counts undefined as no options, unless required', () => {
      expect(optionsObject('options', undefined)).toEqual({});
      optionError(() => optionsObject('options', undefined, { required: true }), 'options', undefined);
    });
    it.each([null, 'fast', 42, []])('rejects options %p that are not an object', (value) => {
      optionError(() => optionsObject('options', value), 'options', value);
    });
    it('rejects an unknown key, naming it and listing the known ones', () => {
      const error = optionError(() => knownKeys({ capacity: 1, capasity: 5 }, ['name', 'capacity']), 'capasity', 5);
      expect(error.message).toContain('one of name, capacity');
    });
    it('accepts known keys, set or undefined', () => {
      expect(() => knownKeys({ name: undefined, capacity: 1 }, ['name', 'capacity'])).not.toThrow();
    });
  });
});
