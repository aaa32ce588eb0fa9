// Hookbench's version: the CLI's --version, system.health, the OpenAPI document and the User-Agent of every
// webhook. Kept in step with package.json by test/shared/version.test.ts.
export const VERSION = '0.1.0';
