import { getMetadataStorage, ValidationTypes } from 'class-validator';

/** The JSON Schema of one DTO property, as swagger's `@ApiProperty()` takes it. */
export interface PropertySchema {
  type?: 'string' | 'boolean' | 'number' | 'integer' | 'array' | 'object';
  format?: string;
  required: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Omit<PropertySchema, 'required' | 'items'>;
}

type Schema = Omit<PropertySchema, 'required'>;

/** One rule as class-validator's metadata storage describes it (the class itself is not exported). */
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/**
 * What one class-validator rule says about the schema of the value it
 * checks. Rules with nothing to say (isNotEmpty on a boolean, custom rules)
 * are left out: the schema is a description, the DTO stays the judge.
 */
const RULES: Record<string, (constraints: unknown[], schema: Schema) => void> = {
  isString: (_c, s) => (s.type = 'string'),
  isBoolean: (_c, s) => (s.type = 'boolean'),
  isNumber: (_c, s) => (s.type = 'number'),
  isInt: (_c, s) => (s.type = 'integer'),
  isArray: (_c, s) => (s.type = 'array'),
  isObject: (_c, s) => (s.type = 'object'),
  isEmail: (_c, s) => ((s.type = 'string'), (s.format = 'email')),
  isAccountEmail: (_c, s) => ((s.type = 'string'), (s.format = 'email')),
  isUrl: (_c, s) => ((s.type = 'string'), (s.format = 'uri')),
  isUuid: (_c, s) => ((s.type = 'string'), (s.format = 'uuid')),
  isIn: (c, s) => (s.enum = [...(c[0] as unknown[])]),
  isEnum: (c, s) => (s.enum = Object.values(c[0] as object)),
  maxLength: (c, s) => (s.maxLength = c[0] as number),
  minLength: (c, s) => (s.minLength = Math.max(s.minLength ?? 0, c[0] as number)),
  isNotEmpty: (_c, s) => (s.minLength = Math.max(s.minLength ?? 0, 1)),
  matches: (c, s) => (s.pattern = c[0] instanceof RegExp ? c[0].source : String(c[0])),
  min: (c, s) => (s.minimum = c[0] as number),
  max: (c, s) => (s.maximum = c[0] as number),
  arrayMinSize: (c, s) => (s.minItems = c[0] as number),
  arrayMaxSize: (c, s) => (s.maxItems = c[0] as number),
};

/** Length rules describe strings only (class-validator's isNotEmpty also refuses null/undefined). */
function tidy(schema: Schema): Schema {
  if (schema.type !== undefined && schema.type !== 'string') {
    delete schema.minLength;
    delete schema.maxLength;
  }
  return schema;
}

function isOptionalRule(rule: ValidationMetadata): boolean {
  // @IsOptional() and @ValidateIf(): either way the property may be left out of a valid body.
  return rule.type === ValidationTypes.CONDITIONAL_VALIDATION;
}

/**
 * The schema of each validated property of `dto`, inherited ones included,
 * read from class-validator's public metadata: type, required (no
 * @IsOptional/@ValidateIf), lengths, enums, array sizes; rules with
 * `{ each: true }` describe the items of an array.
 */
export function propertySchemasOf(dto: Function): Map<string, PropertySchema> {
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of rules) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  const schemas = new Map<string, PropertySchema>();
  for (const [property, propertyRules] of byProperty) {
    const schema: Schema = {};
    const items: Schema = {};
    for (const rule of propertyRules) {
      const apply = rule.name ? RULES[rule.name] : undefined;
      if (apply) apply(rule.constraints ?? [], rule.each ? items : schema);
    }
    if (Object.keys(items).length > 0) {
      schema.type = 'array';
      schema.items = tidy(items);
    }
    schemas.set(property, { ...tidy(schema), required: !propertyRules.some(isOptionalRule) });
  }
  return schemas;
}
