import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RingBuffer } from '../../../lib/channel/ring-buffer';

type Op = { kind: 'push'; count: number } | { kind: 'shift'; count: number } | { kind: 'pop' } | { kind: 'takeAll' };

describe('RingBuffer', () => {
  it('is empty at first', () => {
    const buffer = new RingBuffer<number>();
    expect(buffer.length).toBe(0);
    expect(buffer.shift()).toBeUndefined();
    expect(buffer.pop()).toBeUndefined();
    expect(buffer.takeAll()).toEqual([]);
  });

  it('shifts oldest first and pops newest first', () => {
    const buffer = new RingBuffer<string>();
    buffer.push('a');
    buffer.push('b');
    buffer.push('c');
    expect(buffer.pop()).toBe('c');
    expect(buffer.shift()).toBe('a');
    expect(buffer.length).toBe(1);
    expect(buffer.takeAll()).toEqual(['b']);
    expect(buffer.length).toBe(0);
  });

  it('behaves like an array through growth, wrap-around and shrinking (property)', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), count: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ kind: fc.constant('shift' as const), count: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('takeAll' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const buffer = new RingBuffer<number>();
        let model: number[] = [];
        let next = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            for (let i = 0; i < o.count; i++) {
              buffer.push(next);
              model.push(next++);
            }
          } else if (o.kind === 'shift') {
            for (let i = 0; i < o.count; i++) if (buffer.shift() !== model.shift()) return false;
          } else if (o.kind === 'pop') {
            if (buffer.pop() !== model.pop()) return false;
          } else {
            const all = buffer.takeAll();
            if (all.length !== model.length || all.some((item, i) => item !== model[i])) return false;
            model = [];
          }
          if (buffer.length !== model.length) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('keeps its slots small: at most four per item above the minimum ring', () => {
    const buffer = new RingBuffer<number>();
    const slots = (): number => (buffer as unknown as { slots: unknown[] }).slots.length;
    for (let i = 0; i < 100_000; i++) buffer.push(i);
    expect(slots()).toBeLessThanOrEqual(2 * 100_000);
    for (let i = 0; i < 99_000; i++) buffer.shift();
    expect(slots()).toBeLessThanOrEqual(4 * 1000);
    buffer.takeAll();
    expect(slots()).toBe(16);
  });

  it('does not keep removed items reachable', () => {
    const buffer = new RingBuffer<object>();
    const items = [{}, {}, {}];
    for (const item of items) buffer.push(item);
    buffer.shift();
    buffer.pop();
    const slots = (buffer as unknown as { slots: unknown[] }).slots;
    expect(slots.filter((slot) => slot !== undefined)).toEqual([items[1]]);
  });
});
