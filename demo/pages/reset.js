import { api, describe, onSubmit, report, say, show } from './app.js';

// The reset mail's link (GET /auth/reset/:token) redirects here with its token (redirects.resetView),
// or with error=…&code=… when the link is expired or used (redirects.resetError).
const query = new URLSearchParams(location.search);
const token = query.get('token');
// The token stays in this page only: out of the address bar and the history.
if (location.search) history.replaceState(null, '', location.pathname);
if (token) {
  show(false, 'ask');
  show(true, 'choose');
} else if (query.get('error')) say(`${query.get('error')} Ask for a new link.`, true);

onSubmit('reset', async (fields) => {
  report(await api('POST', '/reset', fields));
});

onSubmit('new-password', async (fields) => {
  const answer = await api('POST', '/reset/' + encodeURIComponent(token), fields);
  say(answer.ok ? 'Your password has been changed.' : describe(answer), !answer.ok);
  // A password the rules refuse leaves the link usable; any other refusal means asking again.
  if (answer.body.code === 'VALIDATION_ERROR') return;
  show(false, 'choose');
  show(true, answer.ok ? 'done' : 'ask');
});
