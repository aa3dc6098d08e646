// Types of bench/disk.js for the TypeScript benches.
export function settleDisk(
  dir: string,
  options?: { healthyMs?: number; maxWaitSec?: number },
): Promise<{ ms: number; waitedSec: number; text: string }>;
