import type { AppContext } from '../context.js';
import type { Analyzer } from '../core/analyzer.js';
import { sandboxAnalyzer } from '../core/analyzer-sandbox.js';
import { httpAnalyzer } from './checks-analyzer-http.js';

/** Manual review: decides nothing, so the check waits for the merchant to approve or reject it. */
const manualReview: Analyzer = { name: 'manual', analyze: async () => [] };

/** Test checks always use the sandbox; live checks the configured vendor, else manual review. */
export function analyzerFor(ctx: AppContext, testing: boolean): Analyzer {
  if (testing) return sandboxAnalyzer;
  return ctx.config.analyzer.url ? httpAnalyzer(ctx.config.analyzer) : manualReview;
}
