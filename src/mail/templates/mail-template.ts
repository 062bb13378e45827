/**
 * The shape of a mail template: a subject and a list of blocks. Both parts of
 * the mail are rendered from the same blocks, so text and HTML always say the
 * same thing, and every value that reaches the HTML part is escaped.
 */
import { escapeHtml } from './escape-html.js';

/** What a template renders to; `MailService` adds the recipient and sends it. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** A paragraph of plain text (values are interpolated raw and escaped as a whole for HTML), or a link. */
export type MailBlock = string | { href: string; label: string };

export interface MailTemplate<C> {
  subject: (context: C) => string;
  blocks: (context: C) => Array<MailBlock | false | null | undefined>;
}

/** A lifetime, as seconds (rendered "5 days") or ready text. */
export type Within = number | string;

/** Every context has the recipient's address; extra keys are allowed for user overrides (`{{key}}`). */
export interface MailContextBase {
  email: string;
  [key: string]: unknown;
}

export function renderBlocks<C>(template: MailTemplate<C>, context: C): RenderedMail {
  const blocks = template.blocks(context).filter((block): block is MailBlock => Boolean(block));
  const text = blocks.map((block) => (typeof block === 'string' ? block : `${block.label}:\n${block.href}`)).join('\n\n');
  const html = blocks
    .map((block) =>
      typeof block === 'string'
        ? `<p>${escapeHtml(block).replace(/\n/g, '<br>\n')}</p>`
        : `<p><a href="${escapeHtml(block.href)}">${escapeHtml(block.label)}</a></p>\n` +
          `<p style="font-size:small;color:#555">Or paste this address into your browser: ${escapeHtml(block.href)}</p>`,
    )
    .join('\n');
  return { subject: template.subject(context), text: `${text}\n`, html: wrapHtml(html) };
}

export function wrapHtml(body: string): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${body}\n</body></html>\n`;
}

const UNITS: Array<[seconds: number, name: string]> = [
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** 432000 -> "5 days", 5400 -> "90 minutes": the largest unit that divides evenly. */
export function formatWithin(within: Within): string {
  if (typeof within === 'string') return within;
  const seconds = Math.max(0, Math.round(within));
  const [unit, name] = UNITS.find(([unit]) => seconds % unit === 0 && seconds >= unit) ?? [1, 'second'];
  const count = seconds / unit;
  return `${count} ${name}${count === 1 ? '' : 's'}`;
}
