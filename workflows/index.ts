/** Every workflow the worker runs; the bundler's entry point. */
export { incidentWorkflow } from './incident';
