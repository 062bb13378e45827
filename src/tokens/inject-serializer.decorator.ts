import { Inject } from '@nestjs/common';
import { getSerializerToken } from './serializer-registry.js';
import type { SerializerName } from './serializer-names.js';

/** Inject one named serializer: `constructor(@InjectSerializer('confirm') s: URLSafeTimedSerializer)`. */
export const InjectSerializer = (name: SerializerName): ParameterDecorator & PropertyDecorator => Inject(getSerializerToken(name));
