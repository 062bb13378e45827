import { EmailDto } from '../common/flow-dto.js';

/** `POST /change-email`: the new address. */
export class ChangeEmailDto extends EmailDto {}
