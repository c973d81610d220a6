import { MisconfigurationError } from './misconfiguration.error';

/**
 * A task queue was registered (`BackgroundTaskQueueModule.register()`) in an application without
 * `HostedServicesModule`: nothing would ever run its items or hand them back. Thrown while the
 * application is created. Code `HOSTING_MISCONFIGURED`.
 * @publicApi
 */
export class QueueNotHostedError extends MisconfigurationError {
  /** The queue's name. */
  readonly queue: string;

  constructor(queue: string) {
    super(
      `Queue "${queue}" (BackgroundTaskQueueModule.register()) needs the host: import HostedServicesModule.forRoot() in the root module. ` +
        'Without it the queue would accept work items and never run them, nor hand them back',
    );
    this.queue = queue;
  }
}
