export { validateUpdate, MAX_CLOCK, MAX_CLOCK_LEAD, type ClockRanges, type UpdateVerdict } from './validate-update.js';
