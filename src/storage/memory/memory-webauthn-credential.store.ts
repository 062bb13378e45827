import { type NewWebAuthnCredential, type WebAuthnCredential, WebAuthnCredentialStore } from '../webauthn-credential-store.js';
import { refuseInProduction } from './refuse-production.js';

/** Passkeys in a Map by row id; every check-and-write is one synchronous step. */
export class MemoryWebAuthnCredentialStore extends WebAuthnCredentialStore {
  private readonly credentials = new Map<number, WebAuthnCredential>();
  private readonly handles = new Map<number, string>();
  private nextId = 1;

  constructor() {
    super();
    refuseInProduction('MemoryWebAuthnCredentialStore');
  }

  async add(input: NewWebAuthnCredential): Promise<WebAuthnCredential | null> {
    for (const each of this.credentials.values()) {
      if (each.credentialId.equals(input.credentialId)) return null;
      if (each.userId === input.userId && each.name === input.name) return null;
    }
    const now = new Date();
    const stored: WebAuthnCredential = { ...copy(input as WebAuthnCredential), id: this.nextId++, createdAt: now, lastUsedAt: now };
    this.credentials.set(stored.id, stored);
    return copy(stored);
  }

  async findByCredentialId(credentialId: Buffer): Promise<WebAuthnCredential | null> {
    for (const each of this.credentials.values()) if (each.credentialId.equals(credentialId)) return copy(each);
    return null;
  }

  async listForUser(userId: number): Promise<WebAuthnCredential[]> {
    return [...this.credentials.values()].filter((each) => each.userId === userId).map(copy);
  }

  async recordUse(id: number, expectedCount: number, newCount: number, usedAt: Date): Promise<boolean> {
    const stored = this.credentials.get(id);
    if (!stored || stored.signCount !== expectedCount) return false;
    stored.signCount = newCount;
    stored.lastUsedAt = new Date(usedAt);
    return true;
  }

  async remove(userId: number, name: string): Promise<boolean> {
    for (const [id, each] of this.credentials) if (each.userId === userId && each.name === name) return this.credentials.delete(id);
    return false;
  }

  async userHandle(userId: number, create: () => string): Promise<string> {
    let handle = this.handles.get(userId);
    if (!handle) this.handles.set(userId, (handle = create()));
    return handle;
  }
}

function copy(credential: WebAuthnCredential): WebAuthnCredential {
  return {
    ...credential,
    credentialId: Buffer.from(credential.credentialId),
    publicKey: Buffer.from(credential.publicKey),
    transports: [...credential.transports],
    ...(credential.createdAt ? { createdAt: new Date(credential.createdAt), lastUsedAt: new Date(credential.lastUsedAt) } : {}),
  };
}
