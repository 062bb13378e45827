export { SmsSender } from './sms-sender.js';
export { ConsoleSmsSender } from './console-sms.sender.js';
