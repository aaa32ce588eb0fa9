export * from './bridge';
export * from './cli';
export * from './errors';
export * from './retry-schedule';
export * from './route';
export * from './routes';
export * from './schemas';
export * from './topics';
