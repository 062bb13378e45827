import { EmailDto } from '../common/flow-dto.js';

/** `POST /login-link {email}`: mail a sign-in link (Flask-Security's passwordless login form). */
export class LoginLinkDto extends EmailDto {}
