import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ChannelClosedError, ChannelFullError, ChannelFullMode } from '../../../lib/channel';
import { capacityArb, scheduleArb, Step } from './channel-schedule';
import { inProducerOrder, pending, Run } from './channel-schedule-run';
import { flush, observe } from './channel-test-helpers';

/*
 * Random schedules of several producers and consumers on one channel, checked against invariants
 * rather than a reference model (a model would have to copy the wake-up policy to predict each
 * state): no item is lost or duplicated, refused items never appear, every consumer sees each
 * producer's items in order, capacity holds, nobody stays blocked while they could progress, and
 * everything settles after completion.
 */

async function runSchedule(capacity: number, fullMode: ChannelFullMode, steps: Step[]): Promise<void> {
  const run = new Run(capacity, fullMode);
  for (const { op, flushAfter } of steps) {
    run.apply(op);
    expect(run.channel.reader.count).toBeLessThanOrEqual(capacity);
    if (flushAfter) {
      await flush();
      run.checkQuiet();
    }
  }
  await flush();
  run.checkQuiet();

  // Finish as a shutdown would: complete, take back what is left, let everything settle.
  const completion = observe(run.channel.reader.completion);
  run.channel.writer.complete();
  run.closed = true;
  const leftover = run.channel.reader.drain();
  await flush();

  // Nothing hangs after completion.
  const everything = [...run.writes, ...run.reads, ...run.readWaits, ...run.writeWaits, ...run.consumerTasks];
  expect(pending(everything)).toBe(0);
  if (run.completionError === undefined) expect(completion.status).toBe('fulfilled');
  else expect(completion).toMatchObject({ status: 'rejected', reason: run.completionError });
  await expect(run.channel.reader.read()).rejects.toBeInstanceOf(ChannelClosedError);

  // Every rejection has a reason the schedule explains.
  for (const write of run.writes.filter((w) => w.status === 'rejected')) {
    const reason = write.reason;
    const fullReject = reason instanceof ChannelFullError && fullMode === 'reject' && capacity !== Infinity;
    expect(reason instanceof ChannelClosedError || run.givenErrors.has(reason) || fullReject).toBe(true);
  }
  for (const rejected of [...run.reads, ...run.readWaits, ...run.writeWaits, ...run.consumerTasks].filter(
    (o) => o.status === 'rejected',
  )) {
    expect(rejected.reason instanceof ChannelClosedError || run.givenErrors.has(rejected.reason)).toBe(true);
  }

  // Conservation: each accepted item was taken, dropped or left over, exactly once; nothing else was.
  const ownItems = [...run.ownItems(), ...leftover];
  const out = [...ownItems, ...run.tasks.flat(), ...run.dropped];
  expect(new Set(out).size).toBe(out.length);
  expect(new Set(out)).toEqual(run.accepted);
  for (const item of run.refused) expect(run.accepted.has(item)).toBe(false);
  if (fullMode === 'wait' || fullMode === 'reject' || capacity === Infinity) expect(run.dropped).toEqual([]);

  // FIFO: every consumer gets each producer's items in the order the producer wrote them.
  for (const items of [ownItems, ...run.tasks]) expect(inProducerOrder(items)).toBe(true);
}

describe('Channel under random schedules (fast-check)', () => {
  it.each(['wait', 'dropOldest', 'dropNewest', 'reject'] as const)(
    "loses, duplicates and reorders nothing, and never hangs (fullMode '%s', bounded and unbounded)",
    async (fullMode) => {
      await fc.assert(
        fc.asyncProperty(capacityArb, scheduleArb, async (capacity, steps) => {
          await runSchedule(capacity, fullMode, steps);
        }),
        { numRuns: 300 },
      );
    },
  );
});
