/** Moved to shared/errors.ts (below every layer); kept so imports from other branches still resolve. */
export * from '../shared/errors';
