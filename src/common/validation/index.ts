export { createSecurityValidationPipe, SecurityValidationPipe, type SecurityValidationPipeOptions } from './security-validation.pipe.js';
export { flattenValidationErrors, WHOLE_VALUE_FIELD, type FlattenLimits } from './flatten-validation-errors.js';
export { DEFAULT_BODY_LIMITS, exceededBodyLimit, type BodyLimits, type BodyLimitExceeded } from './body-limits.js';
export { BodyTooComplexException } from './body-too-complex.exception.js';
export { OptionalField } from './optional-field.decorator.js';
