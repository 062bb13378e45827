// `npm run bench`: every figure of SPEC section 6, measured in one run and
// printed as ratios to a baseline measured in the same run.
import { benchSigning } from './signing.mjs';
import { benchPasswords } from './passwords.mjs';
import { benchHttp } from './http.mjs';
import { benchScale } from './scale.mjs';

const only = process.argv.slice(2);
// `scale` seeds a million rows and takes minutes: only when asked for (`npm run bench -- scale`).
const wanted = (name) => (only.length === 0 && name !== 'scale') || only.includes(name);

if (wanted('signing')) await benchSigning();
if (wanted('passwords')) await benchPasswords();
if (wanted('http')) await benchHttp();
if (wanted('scale')) await benchScale();
