import { Controller, Get, Header } from '@nestjs/common';
import { Public } from 'nest-security';

/**
 * GET /demo/two-factor: one small page (no framework) that drives the JSON
 * API: sign in (with the second step when the account has one), set up an
 * authenticator from the QR code, make recovery codes.
 */
@Controller('demo')
export class TwoFactorPageController {
  @Public()
  @Get('two-factor')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return PAGE;
  }
}

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>nest-security demo: two-factor</title>
<style>body{font:16px system-ui;max-width:40rem;margin:2rem auto;padding:0 1rem}section{border:1px solid #ccc;padding:1rem;margin:1rem 0}
input,button{font:inherit;margin:.2rem 0}pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap}[hidden]{display:none}</style></head>
<body>
<h1>Two-factor</h1>
<section id="signin"><h2>Sign in</h2>
  <form id="login"><input name="email" type="email" placeholder="email" required> <input name="password" type="password" placeholder="password" required>
  <label><input name="remember" type="checkbox"> remember me</label> <button>Sign in</button></form>
  <form id="validate" hidden><p id="method"></p><input name="code" placeholder="code" autocomplete="one-time-code" required> <button>Send code</button>
  <button type="button" id="rescue">Email me a code</button></form>
  <form id="recover" hidden><input name="code" placeholder="recovery code" required> <button>Use a recovery code</button></form>
</section>
<section id="setup"><h2>Set up an authenticator app</h2>
  <p>Signed in (and recently): start here.</p>
  <button id="start">Show me a QR code</button>
  <div id="qr" hidden><img id="qrimg" alt="QR code" width="200" height="200"><p>Or type this key: <code id="key"></code></p>
  <form id="confirm"><input name="code" placeholder="code from the app" required> <button>Confirm</button></form></div>
  <p><button id="codes">Make recovery codes</button></p>
</section>
<pre id="out"></pre>
<script>
const out = (value) => { document.getElementById('out').textContent = JSON.stringify(value, null, 2); };
const csrf = () => decodeURIComponent((document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/) || [])[1] || '');
async function api(path, body) {
  const response = await fetch('/auth' + path, { method: body === undefined ? 'GET' : 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-Token': csrf() },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => ({}));
  out({ status: response.status, ...json });
  return json;
}
const form = (id) => Object.fromEntries(new FormData(document.getElementById(id)));
let setupToken = null;
document.getElementById('login').onsubmit = async (event) => {
  event.preventDefault();
  const { email, password, remember } = form('login');
  const answer = await api('/login', { email, password, remember: remember === 'on' });
  if (answer.tf_required) {
    document.getElementById('method').textContent = answer.tf_state === 'setup_from_login'
      ? 'This account must set up two-factor first: use the setup box.' : 'Enter the code from your ' + answer.tf_method + '.';
    document.getElementById('validate').hidden = answer.tf_state !== 'ready';
    document.getElementById('recover').hidden = answer.tf_state !== 'ready';
  }
};
document.getElementById('validate').onsubmit = (event) => { event.preventDefault(); api('/tf-validate', form('validate')); };
document.getElementById('recover').onsubmit = (event) => { event.preventDefault(); api('/mf-recovery', form('recover')); };
document.getElementById('rescue').onclick = () => api('/tf-rescue', { help_setup: 'email' });
document.getElementById('start').onclick = async () => {
  const answer = await api('/tf-setup', { setup: 'authenticator' });
  if (!answer.tf_state_token) return;
  setupToken = answer.tf_state_token;
  document.getElementById('qrimg').src = answer.tf_authr_qrcode;
  document.getElementById('key').textContent = answer.tf_authr_key;
  document.getElementById('qr').hidden = false;
};
document.getElementById('confirm').onsubmit = (event) => { event.preventDefault(); api('/tf-setup/' + setupToken, form('confirm')); };
document.getElementById('codes').onclick = () => api('/mf-recovery-codes', {});
</script>
</body></html>
`;
