import { type FieldErrors, ValidationFailedException } from '../../common/errors/index.js';

/** Collects field errors over several checks, then throws them together (400 VALIDATION_ERROR). */
export class FieldErrorBag {
  readonly errors: FieldErrors = {};

  add(field: string, ...messages: string[]): this {
    if (messages.length > 0) (this.errors[field] ??= []).push(...messages);
    return this;
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw new ValidationFailedException(this.errors);
  }
}
