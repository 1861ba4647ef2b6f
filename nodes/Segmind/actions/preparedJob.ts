/**
 * The job spec an operation prepares now lives below every layer (shared/jobSpec.ts); these names
 * are kept for the operations that still use them.
 */
export type { JobSpec as PreparedJob, PendingUpload } from '../shared/jobSpec';
export { InvalidInput } from '../shared/jobSpec';
