/**
 * The engine as the wizard's services use it (diagnosis and fixes), imported lazily as one module: the
 * bundle then has one chunk of what the first screen shares with it, rather than one per combination.
 */
export { diagnose } from './diagnose.js';
export { diagnoseMany } from './diagnose-many.js';
export { planFix } from './fixes/index.js';
export { applyChange } from './fixes/protocol.js';
