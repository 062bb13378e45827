import { Controller, Get, Inject } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Public, SECURITY_DATA_SOURCE } from '../index.js';

@Controller('health')
export class HealthController {
  constructor(@Inject(SECURITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  async health() {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }
}
