/**
 * The CPU-bound work of the cpu showcase: counting primes by trial division, for a given
 * time. Plain functions in a module of their own, so a worker can load them by name.
 */

function isPrime(candidate: number): boolean {
  if (candidate < 2) return false;
  for (let divisor = 2; divisor * divisor <= candidate; divisor++) {
    if (candidate % divisor === 0) return false;
  }
  return true;
}

/** Counts primes from 2 upwards for `seconds` of busy computing; returns how many it found. */
export function countPrimesFor(seconds: number): number {
  const deadline = performance.now() + seconds * 1000;
  let found = 0;
  for (let candidate = 2; ; candidate++) {
    if (isPrime(candidate)) found++;
    if ((candidate & 1023) === 0 && performance.now() >= deadline) return found;
  }
}
