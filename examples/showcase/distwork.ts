/**
 * The work of the showcase's distributed part, run by worker hosts: a small computation that
 * says which host process ran it, and one that never looks at its cancel signal.
 */

/** Steps of the Collatz sequence from `n` down to 1, and the pid of the host that counted. */
export function collatz(n: number): { steps: number; pid: number } {
  let steps = 0;
  for (let value = n; value !== 1; steps++) value = value % 2 === 0 ? value / 2 : 3 * value + 1;
  return { steps, pid: process.pid };
}

/** Spins for `seconds` without looking at its signal: only termination stops it early. */
export function stubborn(seconds: number): number {
  const end = Date.now() + seconds * 1000;
  let spins = 0;
  while (Date.now() < end) spins++;
  return spins;
}
