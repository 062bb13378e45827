import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from 'nest-security';

@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  async health() {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }
}
