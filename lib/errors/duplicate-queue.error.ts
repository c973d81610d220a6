import { MisconfigurationError } from './misconfiguration.error';

/**
 * The same queue name was registered twice in one application: two consumers would share it and
 * one set of options would be silently ignored. Thrown while the application is created. Code
 * `HOSTING_MISCONFIGURED`.
 * @publicApi
 */
export class DuplicateQueueError extends MisconfigurationError {
  /** The queue's name. */
  readonly queue: string;

  constructor(queue: string) {
    super(
      `Queue "${queue}" is registered twice in this application (two BackgroundTaskQueueModule.register() with the name '${queue}'): ` +
        'register each queue once (the module is global: inject the queue anywhere), or give each its own name',
    );
    this.queue = queue;
  }
}
