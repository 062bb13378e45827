export { createSecurityValidationPipe, SecurityValidationPipe } from './security-validation.pipe.js';
export { flattenValidationErrors, WHOLE_VALUE_FIELD, type FlattenLimits } from './flatten-validation-errors.js';
