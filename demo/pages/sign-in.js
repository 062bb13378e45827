import { api, onClick, onSubmit, report, say, show } from './app.js';
import { passkeyCeremony } from './webauthn.js';

const METHODS = {
  authenticator: 'Type the code your authenticator app shows.',
  email: 'We mailed you a code: type it here.',
  sms: 'We sent you a code by SMS (the demo prints it on its console): type it here.',
};

/** A sign-in answer: signed in (home), a second step to take, or an error to show. */
function afterSignIn(answer) {
  if (!answer.ok) return report(answer);
  if (!answer.body.tf_required) return location.assign('/demo');
  if (answer.body.tf_state === 'setup_from_login') {
    return say('This account must set up two-factor first: open the Two-factor page in this browser.', true);
  }
  document.getElementById('second-method').textContent = METHODS[answer.body.tf_method] ?? 'Type your code.';
  show(true, 'second');
  show(false, 'first');
  say('Your password was right; one more step.');
  document.querySelector('#tf-code input').focus();
}

// A failed link (GET /auth/login/:token) lands here with error=…&code=… (redirects.loginError).
const failed = new URLSearchParams(location.search).get('error');
if (failed) say(failed, true);

onSubmit('password', async ({ email, password, remember }) => {
  afterSignIn(await api('POST', '/login', { email, password, remember: remember === 'on' }));
});

onSubmit('tf-code', async (fields) => afterSignIn(await api('POST', '/tf-validate', fields)));
onSubmit('tf-recovery', async (fields) => afterSignIn(await api('POST', '/mf-recovery', fields)));
onClick('tf-email', async () => report(await api('POST', '/tf-rescue', { help_setup: 'email' }), 'We mailed you a code.'));
// While a sign-in waits for its second factor, /wan-signin asks for one of that user's passkeys.
onClick('tf-passkey', async () => afterSignIn(await passkeyCeremony('/wan-signin')));

// Usernameless: the authenticator offers the passkeys it holds for this site.
onClick('passkey', async () => afterSignIn(await passkeyCeremony('/wan-signin')));

onSubmit('link', async (fields) => report(await api('POST', '/login-link', fields)));

let identity = null;
onSubmit('us-send', async (fields) => {
  const answer = await api('POST', '/us-signin/send-code', { ...fields, chosen_method: 'email' });
  if (!report(answer)) return;
  identity = fields.identity;
  show(true, 'us-code');
  document.querySelector('#us-code input').focus();
});
onSubmit('us-code', async ({ passcode }) => afterSignIn(await api('POST', '/us-signin', { identity, passcode })));
