export * from './retry-schedule';
export * from './cli';
export * from './bridge';
export * from './errors';
export * from './route';
export * from './routes';
export * from './schemas';
export * from './topics';
