import { URLSafeTimedSerializer } from '../core/signing/index.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { SERIALIZER_NAMES, type SerializerName } from './serializer-names.js';

/**
 * One itsdangerous-compatible serializer per token purpose, each with its own
 * salt, all signed with the module's secret key(s). Built once at start-up:
 * key derivation happens in the constructors, not per token.
 */
export class SerializerRegistry {
  private readonly serializers: Map<SerializerName, URLSafeTimedSerializer>;

  constructor(options: Pick<ResolvedSecurityOptions, 'secretKeys' | 'salts'>) {
    this.serializers = new Map(
      SERIALIZER_NAMES.map((name) => [name, new URLSafeTimedSerializer(options.secretKeys, { salt: options.salts[name] })]),
    );
  }

  get(name: SerializerName): URLSafeTimedSerializer {
    const serializer = this.serializers.get(name);
    if (!serializer) throw new Error(`nest-security: no serializer named "${name}"`);
    return serializer;
  }
}

/** Injection token of one named serializer, for @InjectSerializer(name). */
export function getSerializerToken(name: SerializerName): string {
  return `nest-security:serializer:${name}`;
}
