import { api, onSubmit, report } from './app.js';

// POST /auth/register: with confirmable on, nobody is signed in until the mail's link is followed.
onSubmit('register', async (fields, form) => {
  if (report(await api('POST', '/register', fields))) form.reset();
});
