/**
 * Entry of an analysis worker thread. Given a {@link ParseTask} as
 * `workerData`, it reads a whole file for the calling thread to group (see
 * `readInPipeline`); given a {@link RangeTask}, it reads that byte range of a
 * split file and posts back its {@link RangeOutcome}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '@finops/schema';
import { analyzeRange, movableState, type RangeTask } from './parallel';
import { isParseTask, parseForPipeline } from './pipeline';

const port = parentPort;
if (port && isParseTask(workerData)) {
  void parseForPipeline(workerData, port);
} else if (port) {
  let pending = 0;
  analyzeRange(workerData as RangeTask, (bytes) => {
    // Progress in steps of about 4 MB, to keep messages few.
    pending += bytes;
    if (pending >= 1 << 22) {
      port.postMessage({ type: 'progress', bytes: pending });
      pending = 0;
    }
  }).then(
    (outcome) => {
      if (pending > 0) port.postMessage({ type: 'progress', bytes: pending });
      // Moved, not copied: the fingerprints and the generic cells (typed arrays) change hands.
      port.postMessage({ type: 'done', outcome }, [
        outcome.fingerprints.buffer as ArrayBuffer,
        ...movableState(outcome.cube),
      ]);
    },
    // The error crosses as data with its code, so that the caller can still tell it by its code.
    (error: unknown) => port.postMessage({ type: 'error', error: serializeError(error) }),
  );
}
