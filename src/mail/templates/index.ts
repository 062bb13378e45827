export { escapeHtml } from './escape-html.js';
export { formatWithin, type MailContextBase, type RenderedMail, type Within } from './mail-template.js';
export { DEFAULT_MAIL_TEMPLATES, MAIL_TEMPLATE_NAMES, type MailTemplateContexts, type MailTemplateName } from './default-templates.js';
export { renderMailTemplate, substitute, type MailTemplateOverride } from './render-mail-template.js';
