export * from './dtos';
export * from './errors';
export * from './events';
export * from './limits';
export * from './recording';
export * from './studio';
export * from './playback';
export * from './questions';
