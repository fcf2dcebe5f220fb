/** Pulling the usage APIs into our call log. */
export * from './api';
export * from './apis';
export * from './http';
export * from './pull';
export * from './state';
