import { api, cell, element, forgetCsrf, onClick, report, say, show, signedIn, when } from './app.js';

/** GET /auth/sessions: the newest first; the one of this browser is marked, and ending it signs out. */
async function refresh() {
  const answer = await api('GET', '/sessions');
  if (!answer.ok) return report(answer);
  const rows = answer.body.sessions.map((session) => {
    const end = element('button', session.current ? 'Sign out' : 'End', {
      type: 'button',
      class: 'secondary',
      'aria-label': session.current
        ? 'Sign out of this browser'
        : `End the session of ${session.device}, last seen ${when(session.last_seen_at)}`,
    });
    end.addEventListener('click', () => endSession(session));
    const row = element('tr');
    row.append(
      element('td', session.current ? `${session.device} (this browser)` : session.device),
      element('td', session.ip ?? '—'),
      element('td', when(session.created_at)),
      element('td', when(session.last_seen_at)),
      cell(end),
    );
    return row;
  });
  document.querySelector('#list tbody').replaceChildren(...rows);
}

async function endSession(session) {
  const answer = await api('DELETE', '/sessions/' + encodeURIComponent(session.id));
  if (!report(answer, `Ended the session of ${session.device}.`)) return;
  if (session.current) {
    forgetCsrf();
    return location.assign('/demo');
  }
  await refresh();
}

if (await signedIn) {
  show(true, 'signed-in');
  await refresh();
} else say('Sign in first to see your sessions.', true);

onClick('end-others', async () => {
  const answer = await api('DELETE', '/sessions');
  if (report(answer, `Signed out of ${answer.body.ended} other sessions.`)) await refresh();
});
