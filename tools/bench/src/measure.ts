/** Runs `work` and returns its result with the wall time in milliseconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { result, wallMs: Number(process.hrtime.bigint() - start) / 1e6 };
}
