export { Mailer, MailService, maskAddress, type MailDelivery, type MailMessage } from './mailer.js';
export { createMailer } from './mailer.factory.js';
export { SmtpMailer, type SmtpMailerOptions } from './smtp.mailer.js';
export { ConsoleMailer } from './console.mailer.js';
export * from './templates/index.js';
