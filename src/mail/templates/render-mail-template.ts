import { DEFAULT_MAIL_TEMPLATES, type MailTemplateContexts, type MailTemplateName } from './default-templates.js';
import { escapeHtml } from './escape-html.js';
import { formatWithin, renderBlocks, wrapHtml, type MailTemplate, type RenderedMail } from './mail-template.js';

/** A user's replacement for parts of a template: strings with `{{var}}` placeholders. */
export interface MailTemplateOverride {
  subject?: string;
  text?: string;
  html?: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Replaces `{{name}}` with `values[name]`; missing values become empty.
 * `escape` is applied to every value (escapeHtml for the HTML part), never to the template itself.
 */
export function substitute(template: string, values: Record<string, unknown>, escape: (value: unknown) => string = String): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    return value == null ? '' : escape(value);
  });
}

/** Plain text as HTML, for an override that gives `text` but no `html`: escaped, paragraphs kept, URLs linked. */
export function textToHtml(text: string): string {
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) =>
      escapeHtml(paragraph)
        .replace(/https?:\/\/(?:(?!&quot;|&#39;|&lt;|&gt;)\S)+/g, (url) => `<a href="${url}">${url}</a>`)
        .replace(/\n/g, '<br>\n'),
    );
  return wrapHtml(paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n'));
}

/**
 * Renders template `name` with `context`, applying the user's override for it if any.
 * Each override part replaces the default part; an overridden `text` without `html`
 * also becomes the HTML part, so the two parts never disagree.
 */
export function renderMailTemplate<N extends MailTemplateName>(
  name: N,
  context: MailTemplateContexts[N],
  override?: MailTemplateOverride,
): RenderedMail {
  const template = DEFAULT_MAIL_TEMPLATES[name] as MailTemplate<MailTemplateContexts[N]> | undefined;
  if (!template) throw new Error(`nest-security: unknown mail template "${String(name)}"`);
  const rendered = renderBlocks(template, context);
  if (override) {
    const values: Record<string, unknown> = { ...context };
    if (values.within !== undefined) values.within = formatWithin(values.within as number | string);
    if (override.subject !== undefined) rendered.subject = substitute(override.subject, values);
    if (override.text !== undefined) rendered.text = substitute(override.text, values);
    if (override.html !== undefined) rendered.html = substitute(override.html, values, escapeHtml);
    else if (override.text !== undefined) rendered.html = textToHtml(rendered.text);
  }
  // A subject is a header: no line breaks, whatever a context value holds.
  rendered.subject = rendered.subject.replace(/[\r\n]+/g, ' ').trim();
  return rendered;
}
