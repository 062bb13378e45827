import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from 'nest-security';

/** What a load balancer needs: 200 `ok` when the database answers, 503 `degraded` while it does not. */
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  async health(@Res({ passthrough: true }) response: { status(code: number): unknown }) {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'degraded', database: 'unreachable' };
    }
  }
}
