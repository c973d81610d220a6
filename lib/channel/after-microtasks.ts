// eslint-disable-next-line @typescript-eslint/unbound-method -- only inspected here; bound below
const nodeNextTick = typeof process === 'object' ? process.nextTick : undefined;

/**
 * Runs `callback` once the current run of microtasks is over: `process.nextTick`, which Node runs
 * only after the microtask queue has drained when it is called from a microtask.
 *
 * It is captured when this module loads, so that fake timers installed later (Jest's fake
 * `nextTick`) cannot hold a channel's wake-ups back: they do not depend on time. If `nextTick` is
 * already a fake at load time (it carries a `clock`, as `@sinonjs/fake-timers` installs it), or
 * off Node, a microtask is used instead: wake-ups are then less batched, never stuck.
 * @internal
 */
export const afterMicrotasks: (callback: () => void) => void =
  typeof nodeNextTick === 'function' && !('clock' in nodeNextTick)
    ? nodeNextTick.bind(process)
    : (callback) => void Promise.resolve().then(callback);
