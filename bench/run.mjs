// `npm run bench`: every figure of SPEC section 6, measured in one run and
// printed as ratios to a baseline measured in the same run.
import { benchSigning } from './signing.mjs';
import { benchPasswords } from './passwords.mjs';
import { benchHttp } from './http.mjs';

const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);

if (wanted('signing')) await benchSigning();
if (wanted('passwords')) await benchPasswords();
if (wanted('http')) await benchHttp();
