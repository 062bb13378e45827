#!/usr/bin/env node
/**
 * `nest-security`: the admin CLI, as `flask users` / `flask roles`
 * (`nest-security --help`). The work is in cli.ts; this only binds it to the process.
 */
import 'reflect-metadata';
import { runCli } from './cli.js';
import { processIo } from './cli-io.js';

const code = await runCli(process.argv.slice(2), processIo());
// Exit now: a closed database may still hold timers, and the verdict is known.
process.exit(code);
