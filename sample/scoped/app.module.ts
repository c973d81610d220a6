import { Module } from '@nestjs/common';
import { HostedServicesModule } from '../../lib';
import { ConsumeScopedServiceHostedService } from './consume-scoped-service-hosted.service';
import { ScopedProcessingService } from './scoped-processing.service';

// HostedServicesModule provides ServiceScopeFactory (global); the scoped service is an ordinary
// request-scoped provider.
@Module({
  imports: [HostedServicesModule.forRoot({ shutdownTimeout: 10_000 })],
  providers: [ScopedProcessingService, ConsumeScopedServiceHostedService],
})
export class AppModule {}
