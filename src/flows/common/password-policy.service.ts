import { Inject, Injectable } from '@nestjs/common';
import { PasswordHasher } from '../../core/passwords/index.js';
import { SECURITY_OPTIONS } from '../../security.constants.js';
import type { ResolvedSecurityOptions } from '../../security.options.js';
import { FieldMessage } from './flow-messages.js';

/**
 * Which new passwords are acceptable: the hasher's rules (length after NFKD
 * normalisation, as Flask-Security) and the breached-password list or checker
 * of `options.breachedPasswords`. A checker that throws rejects the password
 * (fail closed): wrap it yourself for best-effort checking.
 */
@Injectable()
export class PasswordPolicy {
  private readonly breachedList: ReadonlySet<string> | undefined;

  constructor(
    private readonly hasher: PasswordHasher,
    @Inject(SECURITY_OPTIONS) private readonly options: ResolvedSecurityOptions,
  ) {
    const breached = options.breachedPasswords;
    this.breachedList = Array.isArray(breached) ? new Set(breached.map((entry) => this.comparable(entry))) : undefined;
  }

  /** Messages saying why `password` cannot be used; empty when it can. */
  async problems(password: string): Promise<string[]> {
    const problems = [...(await this.hasher.validate(password))];
    if (problems.length > 0) return problems;
    if (await this.isBreached(password)) problems.push('This password has appeared in a data breach: choose another one');
    return problems;
  }

  /** Messages about the retyped password: required when `requirePasswordConfirm`, equal to `password` when given. */
  confirmProblems(password: string, confirm: string | undefined): string[] {
    if (confirm === undefined) return this.options.requirePasswordConfirm ? [FieldMessage.PASSWORD_NOT_PROVIDED] : [];
    return confirm === password ? [] : [FieldMessage.RETYPE_PASSWORD_MISMATCH];
  }

  private async isBreached(password: string): Promise<boolean> {
    if (this.breachedList) return this.breachedList.has(this.comparable(password));
    const checker = this.options.breachedPasswords;
    if (typeof checker !== 'function') return false;
    try {
      return (await checker(this.hasher.normalize(password))) === true;
    } catch {
      return true;
    }
  }

  private comparable(password: string): string {
    return this.hasher.normalize(String(password)).toLowerCase();
  }
}
