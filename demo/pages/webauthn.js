// A passkey ceremony as Flask-Security's pages run one: POST <path> answers the options and a
// wan_state; the browser asks its authenticator; POST <path>/<wan_state> sends what it signed.
import { api } from './app.js';

/**
 * Runs the ceremony begun at `path` ('/wan-register', '/wan-signin', '/wan-verify') with `body`;
 * resolves to the API's answer (the start's, when that failed). Throws when the person cancels.
 */
export async function passkeyCeremony(path, body = {}) {
  const start = await api('POST', path, body);
  if (!start.ok) return start;
  const options = start.body.credential_options;
  const credential =
    path === '/wan-register'
      ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
      : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
  return api('POST', `${path}/${encodeURIComponent(start.body.wan_state)}`, { credential: JSON.stringify(credential.toJSON()) });
}
