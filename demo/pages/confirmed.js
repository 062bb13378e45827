import { api, onSubmit, report, say, show } from './app.js';

// The confirm mail's link (GET /auth/confirm/:token) redirects here with its outcome in the query
// string (redirects.postConfirm / confirmError): success=… or error=…, and a stable code.
const query = new URLSearchParams(location.search);
const code = query.get('code');
if (code === 'EMAIL_CONFIRMED' || code === 'ALREADY_CONFIRMED') {
  say(query.get('success') ?? query.get('info') ?? 'Your address is confirmed.');
  show(true, 'done');
} else {
  if (code) say(query.get('error') ?? code, true);
  show(true, 'again');
}

onSubmit('resend', async (fields) => {
  report(await api('POST', '/confirm', fields));
});
