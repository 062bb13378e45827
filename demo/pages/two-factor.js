import { api, describe, onClick, onSubmit, report, say, show, signedIn } from './app.js';

const METHOD_NAMES = { authenticator: 'an authenticator app', email: 'codes by email', sms: 'codes by SMS' };
let setupToken = null;

/** GET /tf-setup (signed in and recently): the method in use and what may be chosen. */
async function refresh() {
  const answer = await api('GET', '/tf-setup');
  if (!answer.ok) {
    const again = answer.body.code === 'REAUTH_REQUIRED' ? ' Sign out and in again to change it.' : '';
    return say(describe(answer) + again, true);
  }
  const method = answer.body.tf_method;
  document.getElementById('method').textContent = method
    ? `Two-factor is on: ${METHOD_NAMES[method] ?? method}.`
    : 'Two-factor is off: a password alone signs you in.';
  show(answer.body.tf_available_methods.includes('disable'), 'disable');
  const codes = await api('GET', '/mf-recovery-codes');
  if (codes.ok) document.getElementById('codes-count').textContent = `You have ${codes.body.recovery_codes_count} unused recovery codes.`;
}

/** POST /tf-setup: nothing changes until the first right code confirms the new method. */
async function start(setup) {
  const answer = await api('POST', '/tf-setup', { setup });
  if (!report(answer, setup === 'email' ? 'We mailed you a code.' : 'Scan the QR code, then type the code your app shows.')) return;
  setupToken = answer.body.tf_state_token;
  show(setup === 'authenticator', 'authenticator');
  if (setup === 'authenticator') {
    document.getElementById('qr').src = answer.body.tf_authr_qrcode;
    document.getElementById('key').textContent = answer.body.tf_authr_key;
  }
  show(true, 'confirm');
  document.querySelector('#confirm-code input').focus();
}

if (await signedIn) {
  show(true, 'signed-in');
  await refresh();
} else say('Sign in first: two-factor is set up for a signed-in account.', true);

onClick('setup-authenticator', () => start('authenticator'));
onClick('setup-email', () => start('email'));

onSubmit('confirm-code', async (fields, form) => {
  const answer = await api('POST', '/tf-setup/' + encodeURIComponent(setupToken), fields);
  if (!report(answer, 'Two-factor is on. Next time you sign in, you will be asked for a code.')) return;
  form.reset();
  show(false, 'confirm');
  await refresh();
});

onClick('disable', async () => {
  if (report(await api('POST', '/tf-setup', { setup: 'disable' }), 'Two-factor is off.')) await refresh();
});

onClick('make-codes', async () => {
  const answer = await api('POST', '/mf-recovery-codes');
  if (!report(answer, 'New recovery codes made; the old ones no longer work.')) return;
  document.getElementById('codes').textContent = answer.body.recovery_codes.join('\n');
  show(true, 'new-codes');
  await refresh();
});
