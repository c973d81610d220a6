import { Logger } from '@nestjs/common';
import { BackgroundService, Clock, HostedService, ServiceScopeFactory } from '../../lib';
import { ScopedProcessingService } from './scoped-processing.service';

/** Milliseconds between two units of work: 5 s, or `PERIOD_MS`. */
const PERIOD_MS = process.env.PERIOD_MS === undefined ? 5_000 : Number(process.env.PERIOD_MS);

/**
 * The .NET ConsumeScopedServiceHostedService: a singleton hosted service cannot inject a
 * request-scoped service, so it creates a scope per unit of work, resolves the scoped service in
 * it, and disposes the scope (and with it the scoped instance) when the unit ends.
 */
@HostedService()
export class ConsumeScopedServiceHostedService extends BackgroundService {
  private readonly logger = new Logger('ConsumeScopedServiceHostedService');

  constructor(
    private readonly scopes: ServiceScopeFactory,
    private readonly clock: Clock,
  ) {
    super();
  }

  protected async execute(stopping: AbortSignal): Promise<void> {
    this.logger.log('Consume Scoped Service Hosted Service running.');
    while (!stopping.aborted) {
      await this.doWork(stopping);
      // Rejects with the abort reason on stop: the host treats that as a normal end, not a fault.
      await this.clock.delay(PERIOD_MS, stopping);
    }
  }

  /** One unit of work, in its own scope. */
  private async doWork(stopping: AbortSignal): Promise<void> {
    this.logger.log('Consume Scoped Service Hosted Service is working.');
    await using scope = this.scopes.createScope();
    scope.unitOfWork.label = 'scoped processing';
    const service = await scope.resolve(ScopedProcessingService);
    await service.doWork(stopping);
  } // the scope is disposed here, also when the work was aborted: onUnitOfWorkEnd runs

  override async stop(signal: AbortSignal): Promise<void> {
    this.logger.log('Consume Scoped Service Hosted Service is stopping.');
    await super.stop(signal);
  }
}
