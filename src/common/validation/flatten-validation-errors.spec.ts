import type { ValidationError } from '@nestjs/common';
import { flattenValidationErrors } from './flatten-validation-errors.js';

const leaf = (property: string, message: string): ValidationError => ({ property, constraints: { c: message }, children: [] });

describe('flattenValidationErrors', () => {
  it('joins nested paths with dots, keeps message order, files whole-value errors under body', () => {
    const errors: ValidationError[] = [
      leaf('email', 'email must be an email'),
      { property: 'profile', children: [leaf('age', 'too low'), { property: 'tags', children: [leaf('0', 'not a string')] }] },
      { property: '', constraints: { a: 'object expected' }, children: [] },
    ];
    expect(flattenValidationErrors(errors)).toEqual({
      email: ['email must be an email'],
      'profile.age': ['too low'],
      'profile.tags.0': ['not a string'],
      body: ['object expected'],
    });
  });

  it('caps the number of fields and the length of a path', () => {
    const many = Array.from({ length: 500 }, (_, i) => leaf(`f${i}`, 'bad'));
    expect(Object.keys(flattenValidationErrors(many))).toHaveLength(100);
    expect(Object.keys(flattenValidationErrors([leaf('x'.repeat(5000), 'bad')]))[0]).toHaveLength(200);
  });

  it('walks a deep tree without recursion', () => {
    let error: ValidationError = leaf('leaf', 'bad');
    for (let i = 0; i < 20_000; i++) error = { property: 'n', children: [error] };
    expect(Object.values(flattenValidationErrors([error], { maxPathLength: 10 }))).toEqual([['bad']]);
  });
});
