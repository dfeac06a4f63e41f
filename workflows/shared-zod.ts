/**
 * zod, prepared to be shared by every workflow of a worker thread (see SHARED_WORKFLOW_MODULES
 * in apps/worker/src/workflow-bundle.ts). Listing `zod` itself would share nothing: the
 * package declares itself free of side effects, so the bundler drops a `require` whose
 * result goes unused. This module uses it.
 *
 * Shared modules are frozen once loaded. zod keeps no per-workflow state, but it memoises
 * one answer in module state the first time it parses an object (whether it may generate
 * code), and writing that into a frozen object would throw. That first parse happens here.
 */
import { z } from 'zod';

z.object({ shared: z.string() }).parse({ shared: 'before the freeze' });
