// Unified sign-in's public surface, for src/index.ts.
export { UnifiedSigninService, type UsSetupInfo } from './unified-signin.service.js';
export { UsCodeService, US_CODE_LENGTH, type CodeCheck } from './us-code.service.js';
export { UsPasscodeDto, UsSetupDto, UsSigninDto, UsSigninSendCodeDto, UsVerifySendCodeDto } from './unified-signin.dto.js';
