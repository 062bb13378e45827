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
  | 'changeUsername'
  | 'sessionList'
  | 'twoFactor'
  | 'multiFactorRecoveryCodes'
  | 'webauthn';

/** The switches that are on unless set to false (every other one is off unless set to true). */
export const FLOW_FEATURES_ON_BY_DEFAULT: ReadonlySet<FlowFeature> = new Set<FlowFeature>(['sessionList']);

export const FLOW_FEATURES_KEY = 'nest_security:flow_features';
