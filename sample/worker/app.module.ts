import { Module } from '@nestjs/common';
import { HostedServicesModule } from '../../lib';
import { Worker } from './worker.service';

@Module({
  imports: [HostedServicesModule.forRoot({ shutdownTimeout: 10_000 })],
  providers: [Worker],
})
export class AppModule {}
