import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  UseFilters,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OrdersService } from './orders.service';
import { QueueExceptionFilter } from './queue-exception.filter';

const ID = /^[\w-]{1,64}$/;

@Controller('orders')
@UseFilters(QueueExceptionFilter)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** 202 Accepted with the id: the order is persisted in the background. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async create(@Body() body: { id?: unknown } | undefined): Promise<{ id: string; state: 'queued' }> {
    const id = body?.id ?? randomUUID().slice(0, 8);
    if (typeof id !== 'string' || !ID.test(id))
      throw new BadRequestException('id must be 1 to 64 letters, digits, "_" or "-"');
    await this.orders.accept(id);
    return { id, state: 'queued' };
  }

  @Get(':id')
  find(@Param('id') id: string): { id: string; state: string } {
    const state = this.orders.state(id);
    if (!state) throw new NotFoundException(`No order ${id}`);
    return { id, state };
  }
}
