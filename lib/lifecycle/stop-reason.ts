import { HostStartCancelledError } from '../errors/host-start-cancelled.error';
import { StopReason } from './application-lifetime';

/** A stop reason in words, for the "Stopping hosted services (…)" line. @internal */
export function describeReason(reason: StopReason): string {
  switch (reason.kind) {
    case 'signal':
      return `received ${reason.signal}`;
    case 'fault':
      return `${reason.service} failed`;
    case 'application':
      return `stopApplication(${reason.exitCode ?? ''}) was called`;
    case 'close':
      return 'the application is closing';
  }
}

/**
 * What a start cancelled by `reason` rejects with: a fault is its own error (not a misleading
 * cancellation, dotnet/runtime#111013); anything else is a `HostStartCancelledError`.
 * @internal
 */
export function startCancellation(reason: StopReason): unknown {
  if (reason.kind === 'fault') return reason.error;
  return new HostStartCancelledError(describeReason(reason));
}
