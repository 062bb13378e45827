import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import * as classTransformer from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';
import { BodyTooComplexException } from './body-too-complex.exception.js';
import { DEFAULT_BODY_LIMITS, exceededBodyLimit } from './body-limits.js';
import { createSecurityValidationPipe } from './security-validation.pipe.js';

class NameDto {
  @IsString() @MaxLength(64) name: string;
}

const asBody: ArgumentMetadata = { type: 'body', metatype: NameDto };

/** class-transformer itself, counting the objects handed to it: refused bodies must never get there. */
function countingTransformer() {
  const calls = { plainToInstance: 0 };
  const transformerPackage = {
    plainToInstance: ((cls: never, plain: unknown, options?: never) => {
      calls.plainToInstance++;
      return classTransformer.plainToInstance(cls, plain, options);
    }) as typeof classTransformer.plainToInstance,
    classToPlain: classTransformer.classToPlain,
  };
  return { calls, pipe: createSecurityValidationPipe({ transformerPackage }) };
}

function keys(count: number): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [i.toString(36), 0]));
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { n: value };
  return value;
}

async function refusal(run: () => Promise<unknown>): Promise<BodyTooComplexException> {
  try {
    await run();
  } catch (error) {
    if (error instanceof BodyTooComplexException) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('SecurityValidationPipe body limits', () => {
  it('transforms an ordinary body once', async () => {
    const { calls, pipe } = countingTransformer();
    await expect(pipe.transform({ name: 'Ada' }, asBody)).resolves.toBeInstanceOf(NameDto);
    expect(calls.plainToInstance).toBe(1);
  });

  it('refuses 12,000 keys (a 95 KB body) as BODY_TOO_COMPLEX without transforming it', async () => {
    const { calls, pipe } = countingTransformer();
    const body = { name: 'Ada', ...keys(12_000) };
    expect(JSON.stringify(body).length).toBeLessThan(100_000);
    const error = await refusal(() => pipe.transform(body, asBody));
    expect(error.getStatus()).toBe(400);
    expect(error.getResponse()).toMatchObject({ code: 'BODY_TOO_COMPLEX', message: 'The request body has too many fields' });
    expect(calls.plainToInstance).toBe(0);
  });

  it('refuses nesting 2,000 deep, without transforming it', async () => {
    const { calls, pipe } = countingTransformer();
    const error = await refusal(() => pipe.transform({ name: 'Ada', deep: nested(2_000) }, asBody));
    expect(error.limit).toBe('maxDepth');
    expect(calls.plainToInstance).toBe(0);
  });

  it('refuses too much text, and applies to queries too', async () => {
    const { calls, pipe } = countingTransformer();
    expect((await refusal(() => pipe.transform({ name: 'x'.repeat(70_000) }, asBody))).limit).toBe('maxSize');
    expect((await refusal(() => pipe.transform(keys(500), { type: 'query', metatype: NameDto }))).limit).toBe('maxKeys');
    expect(calls.plainToInstance).toBe(0);
  });

  it('limits can be set per pipe', async () => {
    const pipe = createSecurityValidationPipe({ bodyLimits: { maxKeys: 2 } });
    expect((await refusal(() => pipe.transform({ name: 'Ada', a: 1, b: 2 }, asBody))).limit).toBe('maxKeys');
  });
});

describe('exceededBodyLimit', () => {
  it('counts depth from the body itself, keys over objects and arrays, characters of keys and strings', () => {
    const limits = { maxDepth: 2, maxKeys: 4, maxSize: 10 };
    expect(exceededBodyLimit({ a: ['x', 'y'] }, limits)).toBeNull();
    expect(exceededBodyLimit({ a: [[]] }, limits)).toBe('maxDepth');
    expect(exceededBodyLimit({ a: 1, b: [1, 2, 3] }, limits)).toBe('maxKeys');
    expect(exceededBodyLimit({ abc: 'defghijk' }, limits)).toBe('maxSize');
    expect(exceededBodyLimit('a string', limits)).toBeNull();
    expect(exceededBodyLimit(null, limits)).toBeNull();
  });

  it('walks without recursion and stops at the first limit passed', () => {
    expect(exceededBodyLimit(nested(200_000))).toBe('maxDepth');
    expect(exceededBodyLimit(keys(200_000))).toBe('maxKeys');
    expect(exceededBodyLimit(nested(DEFAULT_BODY_LIMITS.maxDepth - 1))).toBeNull();
  });
});
