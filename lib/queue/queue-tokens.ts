import { Inject } from '@nestjs/common';

/**
 * The injection token of the queue named `name`.
 * @publicApi
 */
export function getQueueToken(name = 'default'): string {
  return `HOSTING:QUEUE:${name}`;
}

/**
 * Injects the queue named `name` (registered with `BackgroundTaskQueueModule.register({ name })`).
 * The default queue can also be injected by its class, `BackgroundTaskQueue`.
 * @publicApi
 */
export const InjectQueue = (name = 'default'): ParameterDecorator & PropertyDecorator => Inject(getQueueToken(name));

/** The token of the hosted consumer of the queue named `name`: internal, never shown to users. @internal */
export function getQueueConsumerToken(name: string): string {
  return `${getQueueToken(name)}:CONSUMER`;
}

/** How the host's logs name the consumer of the queue named `name`. @internal */
export function queueServiceName(name: string): string {
  return `BackgroundTaskQueue(${name})`;
}
