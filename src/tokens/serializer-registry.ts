import { URLSafeSerializer, URLSafeTimedSerializer } from '../core/signing/index.js';
import type { ResolvedSecurityOptions } from '../security.options.js';
import { SERIALIZER_NAMES, type SerializerName } from './serializer-names.js';

/** The serializer class of a name: untimed for `refresh` (as Flask-Security), timed for every other. */
export type SerializerFor<N extends SerializerName> = N extends 'refresh' ? URLSafeSerializer : URLSafeTimedSerializer;

/**
 * One itsdangerous-compatible serializer per token purpose, each with its own
 * salt, all signed with the module's secret key(s). Built once at start-up:
 * key derivation happens in the constructors, not per token.
 */
export class SerializerRegistry {
  private readonly serializers: Map<SerializerName, URLSafeSerializer>;

  constructor(options: Pick<ResolvedSecurityOptions, 'secretKeys' | 'salts'>) {
    this.serializers = new Map(
      SERIALIZER_NAMES.map((name) => {
        const salt = options.salts[name];
        const serializer =
          name === 'refresh'
            ? new URLSafeSerializer(options.secretKeys, { salt })
            : new URLSafeTimedSerializer(options.secretKeys, { salt });
        return [name, serializer];
      }),
    );
  }

  get<N extends SerializerName>(name: N): SerializerFor<N> {
    const serializer = this.serializers.get(name);
    if (!serializer) throw new Error(`nest-security: no serializer named "${name}"`);
    return serializer as SerializerFor<N>;
  }
}

/** Injection token of one named serializer, for @InjectSerializer(name). */
export function getSerializerToken(name: SerializerName): string {
  return `nest-security:serializer:${name}`;
}
