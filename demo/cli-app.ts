// The demo as the admin CLI sees it: `npx nest-security --app demo/dist/cli-app.js users create ...`
// boots this module (no HTTP) and writes through the demo's own datastore, hasher and rules.
import 'reflect-metadata';
import { DemoAppModule } from './app.module.js';
import { readDemoEnv } from './demo-env.js';

export default DemoAppModule.register(readDemoEnv());
