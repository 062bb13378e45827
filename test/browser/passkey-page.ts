/**
 * A small page of plain browser JavaScript that uses the JSON API as a
 * single page app does (served at the demo's origin by the test, not by the
 * demo: it also does what a hostile page could, e.g. choose the allowed
 * credentials or send one assertion twice): the CSRF token from /csrf and from each sign-in,
 * sent back in the X-XSRF-Token header, cookies kept by the browser.
 */
export const PASSKEY_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>passkeys</title></head><body>
<p id="who">nobody</p>
<script>
  let csrf = null;
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (csrf) headers['X-XSRF-Token'] = csrf;
    const response = await fetch('/auth' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await response.json().catch(() => null);
    if (json && typeof json.csrf_token === 'string') csrf = json.csrf_token;
    return { status: response.status, body: json };
  }
  async function refreshCsrf() {
    csrf = (await api('GET', '/csrf')).body.csrf_token;
  }
  async function signInWithPassword(email, password) {
    await refreshCsrf();
    return api('POST', '/login', { email, password });
  }
  async function signOut() {
    const answer = await api('POST', '/logout', {});
    csrf = null;
    return answer;
  }
  async function registerPasskey(name, usage) {
    const start = await api('POST', '/wan-register', { name, usage });
    if (start.status !== 200) return start;
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(start.body.credential_options);
    const credential = await navigator.credentials.create({ publicKey });
    return api('POST', '/wan-register/' + start.body.wan_state, { credential: JSON.stringify(credential.toJSON()) });
  }
  /** Starts a ceremony at path; allowOnly (base64url credential ids) replaces the allowed credentials, as a hostile page could. */
  async function assertion(path, body, allowOnly) {
    const start = await api('POST', path, body);
    if (start.status !== 200) throw new Error(path + ' answered ' + start.status + ' ' + JSON.stringify(start.body));
    const json = { ...start.body.credential_options };
    if (allowOnly) json.allowCredentials = allowOnly.map((id) => ({ id, type: 'public-key' }));
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json);
    const credential = await navigator.credentials.get({ publicKey });
    return { state: start.body.wan_state, credential: JSON.stringify(credential.toJSON()) };
  }
  async function signInWithPasskey(identity) {
    await refreshCsrf();
    const got = await assertion('/wan-signin', identity ? { identity } : {});
    const answer = await api('POST', '/wan-signin/' + got.state, { credential: got.credential });
    return { ...answer, used: got };
  }
  async function verifyWithPasskey(allowOnly) {
    const got = await assertion('/wan-verify', {}, allowOnly);
    return api('POST', '/wan-verify/' + got.state, { credential: got.credential });
  }
  /** The same request twice, both sent before either answers. */
  function twiceAtOnce(method, path, body) {
    return Promise.all([api(method, path, body), api(method, path, body)]);
  }
  /** The demo's protected route. */
  async function me() {
    const response = await fetch('/demo/me', { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => null);
    document.getElementById('who').textContent = response.ok ? body.email : 'nobody';
    return { status: response.status, body };
  }
  Object.assign(window, {
    api, refreshCsrf, signInWithPassword, signOut, registerPasskey, assertion, signInWithPasskey, verifyWithPasskey, twiceAtOnce, me,
  });
</script>
</body></html>`;
