import { api, cell, element, onSubmit, report, say, show, signedIn, when } from './app.js';
import { passkeyCeremony } from './webauthn.js';

const USAGE = { first: 'sign in', secondary: 'second factor' };

/** GET /wan-credentials: one row per passkey, each with a Delete button (POST /wan-delete). */
async function refresh() {
  const answer = await api('GET', '/wan-credentials');
  if (!answer.ok) return report(answer);
  const rows = answer.body.credentials.map((passkey) => {
    const remove = element('button', 'Delete', { type: 'button', class: 'secondary', 'aria-label': `Delete ${passkey.name}` });
    remove.addEventListener('click', async () => {
      if (report(await api('POST', '/wan-delete', { name: passkey.name }), `Deleted ${passkey.name}.`)) await refresh();
    });
    const row = element('tr');
    row.append(
      element('td', passkey.name),
      element('td', USAGE[passkey.usage] ?? passkey.usage),
      element('td', when(passkey.created_at)),
      element('td', when(passkey.last_used_at)),
      cell(remove),
    );
    return row;
  });
  document.querySelector('#list tbody').replaceChildren(...rows);
  show(rows.length > 0, 'list');
  show(rows.length === 0, 'none');
}

if (await signedIn) {
  show(true, 'signed-in');
  await refresh();
} else say('Sign in first: passkeys are added to a signed-in account.', true);

onSubmit('add', async (fields, form) => {
  const answer = await passkeyCeremony('/wan-register', fields);
  if (!report(answer, `Added ${answer.body.name}.`)) return;
  form.reset();
  await refresh();
});
