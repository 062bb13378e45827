/** The feature switches of SecurityModuleOptions a flow can depend on. */
export type FlowFeature =
  | 'registerable'
  | 'confirmable'
  | 'recoverable'
  | 'changeable'
  | 'changeEmail'
  | 'usernameEnable'
  | 'usernameRecovery'
  | 'passwordless'
  | 'unifiedSignin'
  | 'twoFactor'
  | 'multiFactorRecoveryCodes';

export const FLOW_FEATURES_KEY = 'nest_security:flow_features';
