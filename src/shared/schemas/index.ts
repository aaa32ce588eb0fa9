export * from './catalog';
export * from './common';
export * from './delivery';
export * from './endpoint';
export * from './event';
export * from './inbox';
export * from './inbox-tools';
export * from './settings';
