import { EmailDto } from '../common/flow-dto.js';

/** `POST /confirm`: send the confirmation link again. */
export class SendConfirmationDto extends EmailDto {}
