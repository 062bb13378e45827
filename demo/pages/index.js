import { signedIn } from './app.js';

const user = await signedIn;
document.getElementById('account-state').textContent = user
  ? `You are signed in as ${user.email}${user.roles.length ? ` (roles: ${user.roles.join(', ')})` : ''}.`
  : 'You are not signed in. Sign in, or register an account first.';
