import { Module } from '@nestjs/common';
import { HostedServicesModule } from '../../lib';
import { ReadingsChannel, ReadingsRepository } from './readings';
import { BatchWriter, HumiditySensor, TemperatureSensor } from './services';

@Module({
  imports: [HostedServicesModule.forRoot({ shutdownTimeout: 10_000 })],
  providers: [ReadingsChannel, ReadingsRepository, BatchWriter, TemperatureSensor, HumiditySensor],
})
export class AppModule {}
