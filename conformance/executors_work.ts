/**
 * The work functions of the executors_run_in_executor pair (a module of its own, so worker
 * threads can load them by name). Not a pair itself: it has no .py sibling.
 */

import { ValueError } from "../src/index.ts";

export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function fail(message: string): never {
  throw new ValueError(message);
}

/** Marks `gate[1]` when it starts, then waits (blocking its thread) until `gate[0]` is set. */
export function block(gate: Int32Array): string {
  Atomics.store(gate, 1, 1);
  Atomics.wait(gate, 0, 0, 10_000);
  return "released";
}
