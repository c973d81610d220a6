import { Module } from '@nestjs/common';
import { HostedServicesModule } from '../../lib';
import { TimedHostedService } from './timed-hosted.service';

@Module({
  imports: [HostedServicesModule.forRoot({ shutdownTimeout: 10_000 })],
  providers: [TimedHostedService],
})
export class AppModule {}
