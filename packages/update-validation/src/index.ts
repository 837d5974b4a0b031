export { validateUpdate, MAX_CLOCK, MAX_CLOCK_LEAD, type ClockRanges, type UpdateVerdict, type ValidationOptions } from './validate-update.js';
export { findProtectedRootWrite } from './protected-roots.js';
