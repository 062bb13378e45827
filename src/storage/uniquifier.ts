import { randomUUID } from 'node:crypto';

/** A fresh fs_uniquifier / fs_token_uniquifier: 32 hex characters, as Flask-Security's uuid4().hex. */
export function newUniquifier(): string {
  return randomUUID().replace(/-/g, '');
}
