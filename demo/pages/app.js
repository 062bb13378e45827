// The part every demo page shares: the JSON API under /auth called as a single page app calls it
// (cookies kept by the browser, the CSRF token in the X-XSRF-Token header), the header with the
// navigation and who is signed in, and the status line.

let csrfToken = null;

/** The session's CSRF token (a pre-session one before sign-in), from GET /auth/csrf once per page. */
async function csrf() {
  if (!csrfToken) csrfToken = (await call('GET', '/csrf')).body.csrf_token ?? null;
  return csrfToken;
}

async function call(method, path, body, headers) {
  const response = await fetch('/auth' + path, {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  // Sign-in answers carry the new session's token.
  if (typeof json.csrf_token === 'string') csrfToken = json.csrf_token;
  return { ok: response.ok, status: response.status, body: json };
}

/** Calls /auth + path; `body` is sent as JSON. Resolves to { ok, status, body }, also for 4xx answers. */
export async function api(method, path, body) {
  if (method === 'GET') return call(method, path);
  return call(method, path, body ?? {}, { 'Content-Type': 'application/json', 'X-XSRF-Token': await csrf() });
}

/** Signed out: the old session's CSRF token is gone with it. */
export function forgetCsrf() {
  csrfToken = null;
}

/** The signed-in user ({ id, email, roles }), or null. */
export async function currentUser() {
  const answer = await call('GET', '/me');
  return answer.ok ? answer.body.user : null;
}

/** A human-readable line for an API answer: its message, else its field errors, else its code. */
export function describe(answer) {
  const { message, errors, code } = answer.body;
  const fields = errors ? Object.values(errors).flat() : [];
  if (fields.length) return fields.join(' ');
  if (Array.isArray(message)) return message.join(' ');
  return message || code || `HTTP ${answer.status}`;
}

/** Shows `text` in the page's status line; an error is announced at once to screen readers. */
export function say(text, isError = false) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.className = isError ? 'error' : 'ok';
  status.setAttribute('role', isError ? 'alert' : 'status');
}

/** Shows an answer's outcome: its message, or `success` when given and the answer is ok. */
export function report(answer, success) {
  say(answer.ok && success ? success : describe(answer), !answer.ok);
  return answer.ok;
}

/** Runs `handler(fields)` on submit, with the form's fields as an object, its button disabled meanwhile. */
export function onSubmit(formId, handler) {
  const form = document.getElementById(formId);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit], button:not([type])');
    if (button) button.disabled = true;
    try {
      await handler(Object.fromEntries(new FormData(form)), form);
    } catch (error) {
      say(error instanceof Error ? error.message : String(error), true);
    } finally {
      if (button) button.disabled = false;
    }
  });
}

/** Runs `handler` on click, reporting what it throws. */
export function onClick(id, handler) {
  document.getElementById(id).addEventListener('click', () => {
    Promise.resolve()
      .then(handler)
      .catch((error) => say(error instanceof Error ? error.message : String(error), true));
  });
}

/** Shows or hides elements by id. */
export function show(visible, ...ids) {
  for (const id of ids) document.getElementById(id).hidden = !visible;
}

/** An element with text and attributes, for lists and tables. */
export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** A table cell holding `child` (a button). */
export function cell(child) {
  const td = document.createElement('td');
  td.append(child);
  return td;
}

/** A date of the API (ISO text) as the reader's locale shows it. */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

const NAVIGATION = [
  ['/demo', 'Home'],
  ['/demo/sign-in', 'Sign in'],
  ['/demo/register', 'Register'],
  ['/demo/two-factor', 'Two-factor'],
  ['/demo/passkeys', 'Passkeys'],
  ['/demo/sessions', 'Sessions'],
];

/** The header of every page: the navigation, who is signed in, and a sign-out button. */
async function renderHeader() {
  const header = document.querySelector('body > header');
  const nav = element('nav', undefined, { 'aria-label': 'Demo pages' });
  for (const [href, label] of NAVIGATION) {
    const link = element('a', label, { href });
    if (href === location.pathname) link.setAttribute('aria-current', 'page');
    nav.append(link);
  }
  const who = element('p', '', { id: 'who' });
  header.append(nav, who);
  const user = await currentUser();
  if (!user) {
    who.textContent = 'Not signed in';
    return null;
  }
  who.textContent = `Signed in as ${user.email} `;
  const signOut = element('button', 'Sign out', { type: 'button', id: 'sign-out' });
  signOut.addEventListener('click', async () => {
    const answer = await api('POST', '/logout');
    forgetCsrf();
    if (answer.ok) location.assign('/demo');
    else report(answer);
  });
  who.append(signOut);
  return user;
}

/** Who is signed in (or null), once the header shows it. */
export const signedIn = renderHeader();
