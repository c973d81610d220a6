import { describe, expect, it } from '@jest/globals';

import { ExitCode } from '../../../lib';
import { exitCodeFor, RunOutcome } from '../../../lib/process/exit-code';

// The README's exit-code table is this one pure function: each row, and the severity order when
// several apply (forced > fault > deadline > requested > clean).

const clean: RunOutcome = { failed: false, abandoned: false };

describe('exitCodeFor (the README exit-code table)', () => {
  it.each<[string, RunOutcome, number]>([
    ['a clean stop', clean, ExitCode.Clean],
    ['stopApplication() with no code', { ...clean, requested: undefined }, 0],
    ['stopApplication(3)', { ...clean, requested: 3 }, 3],
    ['a fault (failed start or stop, a stopHost fault)', { ...clean, failed: true }, 1],
    ['services abandoned at the deadline', { ...clean, abandoned: true }, 124],
    ['a second SIGINT forced the exit', { ...clean, forcedBy: 'SIGINT' }, 130],
    ['a second SIGTERM forced the exit', { ...clean, forcedBy: 'SIGTERM' }, 143],
    ['startup cancelled by SIGTERM', { ...clean, cancelledBy: 'SIGTERM' }, 143],
  ])('%s → %i', (_, outcome, code) => {
    expect(exitCodeFor(outcome)).toBe(code);
  });

  it('the most severe wins: forced > fault > deadline > requested', () => {
    const all: RunOutcome = { forcedBy: 'SIGTERM', failed: true, abandoned: true, requested: 3 };
    expect(exitCodeFor(all)).toBe(143);
    expect(exitCodeFor({ ...all, forcedBy: undefined })).toBe(1);
    expect(exitCodeFor({ ...all, forcedBy: undefined, failed: false })).toBe(124);
    expect(exitCodeFor({ ...all, forcedBy: undefined, failed: false, abandoned: false })).toBe(3);
  });
});
