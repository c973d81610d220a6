import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

/**
 * Marks where Nest's own teardown stands: by the time these hooks run, the hosted services have
 * stopped (the queue drained or handed back). The HTTP server closes between the two.
 */
@Injectable()
export class ShutdownLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  beforeApplicationShutdown(signal?: string): void {
    this.logger.log(`Hosted services stopped; closing the HTTP server (${signal ?? 'no signal'})`);
  }

  onApplicationShutdown(signal?: string): void {
    this.logger.log(`HTTP server closed (${signal ?? 'no signal'})`);
  }
}
