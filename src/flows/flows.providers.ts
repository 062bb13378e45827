import type { Provider, Type } from '@nestjs/common';
import { ChangeEmailController } from './change-email/change-email.controller.js';
import { ChangeEmailService } from './change-email/change-email.service.js';
import { ChangeUsernameController } from './change-username/change-username.controller.js';
import { ChangeUsernameService } from './change-username/change-username.service.js';
import { ChangePasswordController } from './change-password/change-password.controller.js';
import { ChangePasswordService } from './change-password/change-password.service.js';
import { FeatureGuard } from './common/feature.guard.js';
import { FlowLinks } from './common/flow-links.service.js';
import { FlowSignIn } from './common/flow-sign-in.service.js';
import { LinkResponder } from './common/link-responder.service.js';
import { PasswordPolicy } from './common/password-policy.service.js';
import { PasswordUpdater } from './common/password-updater.service.js';
import { ConfirmController } from './confirm/confirm.controller.js';
import { ConfirmService } from './confirm/confirm.service.js';
import { RegisterController } from './register/register.controller.js';
import { RegisterService } from './register/register.service.js';
import { ResetController } from './reset/reset.controller.js';
import { ResetService } from './reset/reset.service.js';
import { SessionListService } from './sessions/session-list.service.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { UsernameRecoveryController } from './username-recovery/username-recovery.controller.js';
import { UsernameRecoveryService } from './username-recovery/username-recovery.service.js';

/** The account flows' controllers: always registered; each answers 404 while its feature switch is off. */
export const FLOW_CONTROLLERS: Type[] = [
  RegisterController,
  ConfirmController,
  ResetController,
  ChangePasswordController,
  ChangeEmailController,
  UsernameRecoveryController,
  ChangeUsernameController,
  SessionsController,
];

/** What SecurityModule exports of the flows: their services, for apps that drive a flow themselves. */
export const FLOW_EXPORTS: Type[] = [
  PasswordPolicy,
  RegisterService,
  ConfirmService,
  ResetService,
  ChangePasswordService,
  ChangeEmailService,
  UsernameRecoveryService,
  ChangeUsernameService,
  SessionListService,
];

/** The account flows' services, provided by SecurityModule: the exported ones and their internal helpers. */
export const FLOW_PROVIDERS: Provider[] = [FeatureGuard, FlowLinks, FlowSignIn, LinkResponder, PasswordUpdater, ...FLOW_EXPORTS];
