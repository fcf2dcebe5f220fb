import type { AnalysisResults } from '@finops/analyzers';
import { datasetSummary } from '@finops/analyzers';
import { renderReports } from '@finops/report-renderer';
import type { DocumentBuilder } from './live';

/**
 * Runs updates one after the other: a request made while one runs waits for
 * it, and requests made while one waits share that one.
 */
export class SerialUpdates<T> {
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<T> | undefined;

  /** Runs `cycle` after the update under way (or joins the one already waiting). */
  run(cycle: () => Promise<T>): Promise<T> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      return cycle();
    });
    this.queued = next;
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Resolves when the update under way (if any) has finished, whatever its outcome. */
  settled(): Promise<unknown> {
    return this.chain;
  }
}

/** What {@link publishReports} writes the reports of. */
export interface PublishOptions {
  outDir: string;
  buildDocuments: DocumentBuilder;
  /** The data's name on the index and in the manifest. */
  displayPath: string;
  /** The data's size in bytes (0 when it is a table, not a file). */
  bytes: number;
  generatedAt: Date;
}

/**
 * Renders and writes the pages and the manifest of `results` (each file
 * atomically, the manifest last); resolves with the manifest's
 * `generated_at` (to the second).
 */
export async function publishReports(results: AnalysisResults, options: PublishOptions): Promise<string> {
  await renderReports(options.buildDocuments(results), {
    outDir: options.outDir,
    dataset: datasetSummary(results.meta, options.displayPath, options.bytes),
    generatedAt: options.generatedAt,
  });
  return options.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
