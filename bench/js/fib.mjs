// The CPU-bound work of the cpu workload, in plain JavaScript so every pool (asyncio-ts's,
// piscina's, a hand-rolled one) runs the very same function, and workers need no loader for it.

export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export default fib;
