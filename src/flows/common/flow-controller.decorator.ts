import { applyDecorators, Controller, UseFilters, UseInterceptors, UsePipes } from '@nestjs/common';
import { NoStoreInterceptor } from '../../http/no-store.js';
import { SecurityExceptionFilter } from '../../common/errors/index.js';
import { createSecurityValidationPipe } from '../../common/validation/index.js';
import type { FlowFeature } from './flow-feature.js';
import { RequiresFeature } from './requires-feature.decorator.js';

/**
 * A flow controller: mounted under the module's route prefix, 404 unless its
 * feature switches are on, DTOs validated by nest-security's pipe (unknown
 * fields rejected, 400 VALIDATION_ERROR) and errors shaped by its filter,
 * whatever the host app binds globally, and answers kept out of caches
 * (NoStoreInterceptor).
 */
export function FlowController(...features: FlowFeature[]): ClassDecorator {
  return applyDecorators(
    Controller(),
    RequiresFeature(...features),
    UsePipes(createSecurityValidationPipe()),
    UseFilters(SecurityExceptionFilter),
    UseInterceptors(NoStoreInterceptor),
  );
}
