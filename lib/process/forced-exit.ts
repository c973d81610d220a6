import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';

/**
 * Work that must still happen when a second signal forces the exit: a task queue hands back
 * (to `onUnprocessed`, reason `'forced'`) every accepted item that has not completed, and names
 * them in one error log line. It gets an aborted `deadline` once the budget has run out.
 * @internal
 */
export type ForcedExitParticipant = (signal: NodeJS.Signals, deadline: AbortSignal) => Promise<void> | void;

/** How long a forced exit waits for the hand-backs before the process ends anyway. @internal */
export const FORCED_HANDBACK_MS = 1_000;

/**
 * The participants of a forced exit, per application. The process lifetime runs them all,
 * concurrently, for at most {@link FORCED_HANDBACK_MS}, then exits whatever they did.
 * @internal
 */
@Injectable()
export class ForcedExitHooks {
  readonly #participants = new Set<ForcedExitParticipant>();

  constructor(private readonly clock: Clock) {}

  /** Adds a participant; returns a function that removes it. */
  register(participant: ForcedExitParticipant): () => void {
    const entry: ForcedExitParticipant = (signal, deadline) => participant(signal, deadline);
    this.#participants.add(entry);
    return () => void this.#participants.delete(entry);
  }

  /** Runs every participant and waits for them, for at most `budgetMs`. Never rejects. */
  async run(signal: NodeJS.Signals, budgetMs = FORCED_HANDBACK_MS): Promise<void> {
    const deadline = new AbortController();
    const timer = this.clock.setTimer(
      () => deadline.abort(new Error(`the forced exit's budget (${budgetMs}ms) elapsed`)),
      budgetMs,
    );
    const runs = [...this.#participants].map(async (participant) => {
      try {
        await participant(signal, deadline.signal);
      } catch {
        // A participant logs its own failures; a forced exit goes on regardless.
      }
    });
    const expired = new Promise<void>((resolve) =>
      deadline.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await Promise.race([Promise.all(runs), expired]);
    timer.cancel();
  }
}
