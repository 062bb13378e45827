import { applyDecorators, Controller, UseFilters, UsePipes } from '@nestjs/common';
import { SecurityExceptionFilter } from '../../common/errors/index.js';
import { createSecurityValidationPipe } from '../../common/validation/index.js';
import type { FlowFeature } from './flow-feature.js';
import { RequiresFeature } from './requires-feature.decorator.js';

/**
 * A flow controller: mounted under the module's route prefix, 404 unless its
 * feature switches are on, DTOs validated by nest-security's pipe (unknown
 * fields rejected, 400 VALIDATION_ERROR) and errors shaped by its filter,
 * whatever the host app binds globally.
 */
export function FlowController(...features: FlowFeature[]): ClassDecorator {
  return applyDecorators(
    Controller(),
    RequiresFeature(...features),
    UsePipes(createSecurityValidationPipe()),
    UseFilters(SecurityExceptionFilter),
  );
}
