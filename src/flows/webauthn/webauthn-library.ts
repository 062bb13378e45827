/** @simplewebauthn/server, an optional peer: loaded on the first passkey request, never by `import 'nest-security'`. */
export type WebAuthnLibrary = typeof import('@simplewebauthn/server');

let loading: Promise<WebAuthnLibrary> | undefined;

export function loadWebAuthnLibrary(): Promise<WebAuthnLibrary> {
  loading ??= import('@simplewebauthn/server').catch((error: unknown) => {
    loading = undefined;
    throw new Error(
      `nest-security: the webauthn feature needs @simplewebauthn/server (npm install @simplewebauthn/server): ${String(error)}`,
    );
  });
  return loading;
}
