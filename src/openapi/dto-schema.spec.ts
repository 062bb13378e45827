import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { propertySchemasOf } from './dto-schema.js';

enum Channel {
  Email = 'email',
  Sms = 'sms',
}

class BaseBody {
  @IsOptional()
  @IsString()
  @MaxLength(256)
  csrf_token?: string;
}

class ExampleBody extends BaseBody {
  @IsIn(['authenticator', 'email'])
  method: string;

  @IsEnum(Channel)
  channel: Channel;

  @IsInt()
  @Min(1)
  @Max(10)
  count: number;

  @ValidateIf((body: ExampleBody) => body.count > 1)
  @IsString()
  @Matches(/^\d{6}$/)
  code?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @MaxLength(8, { each: true })
  tags?: string[];

  @IsBoolean()
  @IsNotEmpty()
  remember: boolean;
}

describe('propertySchemasOf (a DTO schema from its class-validator rules)', () => {
  const schemas = propertySchemasOf(ExampleBody);

  it('reads enums, numbers and their bounds, patterns, and each-rules as the items of an array', () => {
    expect(schemas.get('method')).toEqual({ enum: ['authenticator', 'email'], required: true });
    expect(schemas.get('channel')).toEqual({ enum: ['email', 'sms'], required: true });
    expect(schemas.get('count')).toEqual({ type: 'integer', minimum: 1, maximum: 10, required: true });
    expect(schemas.get('tags')).toEqual({ type: 'array', maxItems: 3, items: { type: 'string', maxLength: 8 }, required: false });
  });

  it('makes @IsOptional and @ValidateIf fields optional, and keeps length rules to strings', () => {
    expect(schemas.get('code')).toEqual({ type: 'string', pattern: '^\\d{6}$', required: false });
    expect(schemas.get('remember')).toEqual({ type: 'boolean', required: true });
  });

  it("includes the fields of the DTO's base classes", () => {
    expect(schemas.get('csrf_token')).toEqual({ type: 'string', maxLength: 256, required: false });
    expect([...schemas.keys()].sort()).toEqual(['channel', 'code', 'count', 'csrf_token', 'method', 'remember', 'tags']);
  });
});
