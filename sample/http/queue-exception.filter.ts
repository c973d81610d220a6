import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { QueueClosedError, QueueFullError } from '../../lib';

/** Seconds a client should wait before retrying (at a replica that is not stopping, for a 503). */
const RETRY_AFTER_S = 5;

/**
 * Maps the queue's refusals to HTTP: closed (the application is stopping) is 503 Service
 * Unavailable, full is 429 Too Many Requests, both with `Retry-After`. Through the HTTP adapter,
 * so it works on Express and Fastify alike.
 */
@Catch(QueueClosedError, QueueFullError)
export class QueueExceptionFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: QueueClosedError | QueueFullError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const closed = error instanceof QueueClosedError;
    const status = closed ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.TOO_MANY_REQUESTS;
    httpAdapter.setHeader(response, 'Retry-After', String(closed ? RETRY_AFTER_S : 1));
    // This instance is going away: do not keep the client's connection to it.
    if (closed) httpAdapter.setHeader(response, 'Connection', 'close');
    httpAdapter.reply(response, { statusCode: status, message: error.message }, status);
  }
}
