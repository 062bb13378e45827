// `nest-security/testing`: helpers for an app's own tests (memoryStorage() and the
// storage contract suites land here). Nothing in it is meant for production.
export {};
