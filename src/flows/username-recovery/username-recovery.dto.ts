import { EmailDto } from '../common/flow-dto.js';

/** `POST /recover-username`: the address of the account. */
export class UsernameRecoveryDto extends EmailDto {}
