/**
 * Property-based tests: random schedules of acquires, releases, puts, gets, timeouts and
 * cancellations on the virtual clock, over many seeds. Every scripted event happens at a whole
 * second, so many of them race at the same instant (a release and a timeout, a put and a
 * cancellation); a monitor looks at the primitive at every half second, when everything due
 * before has settled, and checks that no waiter is stranded while the resource is free.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as asyncio from "../../src/index.ts";
import { runVirtual } from "../helpers.ts";

const RUNS = 120;
/** Scripts end well before this (in seconds); what still waits then is cancelled. */
const HORIZON = 60;

/** A whole number of seconds, or (half the time) null for "no timeout". */
const maybeSeconds = (max: number) =>
  fc.option(fc.integer({ min: 0, max }), { nil: null, freq: 2 });

/**
 * When an outside cancellation comes: at a whole second, then after `hops` more loop
 * iterations, so it can land between a wake-up and the woken task's step.
 */
const cancellation = fc.option(
  fc.record({ at: fc.integer({ min: 0, max: 14 }), hops: fc.integer({ min: 0, max: 3 }) }),
  { nil: null },
);

/** Schedules `task.cancel()` as `plan` says. */
function cancelLater(task: asyncio.Task<unknown>, plan: { at: number; hops: number } | null): void {
  if (plan === null) return;
  const loop = asyncio.getRunningLoop();
  const hop = (left: number) => {
    if (left === 0) task.cancel();
    else loop.callSoon(hop, left - 1);
  };
  loop.callAt(plan.at, hop, plan.hops);
}

/**
 * Calls `check()` at every half second while `running()`; returns the violations it reported.
 * Stops after `limit` seconds.
 */
function monitor(check: () => string | null, running: () => boolean, limit = HORIZON): string[] {
  const loop = asyncio.getRunningLoop();
  const violations: string[] = [];
  const tick = () => {
    const problem = check();
    if (problem !== null) violations.push(`t=${loop.time()}: ${problem}`);
    if (running() && loop.time() < limit) loop.callLater(1, tick);
  };
  loop.callAt(Math.floor(loop.time()) + 0.5, tick);
  return violations;
}

/**
 * Waits for every task; re-throws the first error that is not a cancellation. A script may
 * legitimately wait forever (a put with no timeout and no consumer left): whatever still runs
 * at the horizon is cancelled.
 */
function* joinAll(tasks: asyncio.Task<unknown>[]): asyncio.Coro<void> {
  const horizon = asyncio.getRunningLoop().callAt(HORIZON, () => {
    for (const task of tasks) task.cancel();
  });
  for (const task of tasks) {
    try {
      yield* task;
    } catch (error) {
      if (!asyncio.isCancelledError(error)) throw error;
    }
  }
  horizon.cancel();
}

/** Runs `body` with a timeout when `seconds` is not null; true if it timed out. */
function* maybeTimeout(
  seconds: number | null,
  body: () => asyncio.Coro<void>,
): asyncio.Coro<boolean> {
  if (seconds === null) {
    yield* body();
    return false;
  }
  try {
    yield* asyncio.using(asyncio.timeout(seconds), body);
    return false;
  } catch (error) {
    if (error instanceof asyncio.TimeoutError) return true;
    throw error;
  }
}

/** Whether some future in `waiters` is still pending (not woken, not cancelled). */
function anyPending(waiters: {
  length: number;
  at(index: number): asyncio.Future<unknown>;
}): boolean {
  for (let index = 0; index < waiters.length; index++) {
    if (!waiters.at(index).done()) return true;
  }
  return false;
}

const holderScript = fc.record({
  start: fc.integer({ min: 0, max: 4 }),
  steps: fc.array(
    fc.record({
      timeout: maybeSeconds(4),
      hold: fc.integer({ min: 0, max: 3 }),
      gap: fc.integer({ min: 0, max: 2 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  cancelAt: cancellation,
});
type HolderScript = typeof holderScript extends fc.Arbitrary<infer S> ? S : never;

/**
 * Drives holders through `acquire`/`release` of a lock or semaphore with `capacity` slots and
 * checks: never more than `capacity` holders, acquisitions in the order acquire() was called,
 * the count conserved, no waiter stranded, and everything released at the end.
 */
function* holdersScenario(
  scripts: HolderScript[],
  primitive: asyncio.Lock | asyncio.Semaphore,
  capacity: number,
): asyncio.Coro<void> {
  let holders = 0;
  let calls = 0;
  let lastAcquired = -1;
  let finished = false;
  const free = () =>
    primitive instanceof asyncio.Lock ? !primitive.locked() : primitive._value > 0;
  const violations = monitor(
    () => {
      if (free() && anyPending(primitive._waiters))
        return "a waiter is stranded while a slot is free";
      if (primitive instanceof asyncio.Semaphore && primitive._value + holders !== capacity) {
        return `value ${primitive._value} + holders ${holders} != ${capacity}`;
      }
      return null;
    },
    () => !finished,
  );

  function* holder(script: HolderScript): asyncio.Coro<void> {
    yield* asyncio.sleep(script.start);
    for (const step of script.steps) {
      const call = calls++;
      const timedOut = yield* maybeTimeout(step.timeout, function* () {
        yield* primitive.acquire();
      });
      if (!timedOut) {
        holders++;
        assert.ok(holders <= capacity, `${holders} holders of ${capacity} slots`);
        if (primitive instanceof asyncio.Lock) assert.equal(primitive.locked(), true);
        assert.ok(call > lastAcquired, `acquire #${call} overtook #${lastAcquired}`);
        lastAcquired = call;
        try {
          yield* asyncio.sleep(step.hold);
        } finally {
          holders--;
          primitive.release();
        }
      }
      yield* asyncio.sleep(step.gap);
    }
  }

  const tasks = scripts.map((script) => asyncio.createTask(holder(script)));
  for (const [index, script] of scripts.entries()) cancelLater(tasks[index]!, script.cancelAt);
  yield* joinAll(tasks);
  finished = true;
  assert.deepEqual(violations, []);
  assert.equal(holders, 0);
  assert.equal(primitive._waiters.length, 0);
  if (primitive instanceof asyncio.Lock) assert.equal(primitive.locked(), false);
  else assert.equal(primitive._value, capacity);
}

describe("properties: Lock and Semaphore under random schedules", () => {
  it("Lock: never held twice, FIFO, never stranded, released at the end", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(holderScript, { minLength: 1, maxLength: 6 }), (scripts) =>
        runVirtual(holdersScenario(scripts, new asyncio.Lock(), 1)),
      ),
      { numRuns: RUNS },
    );
  });

  it("Semaphore and BoundedSemaphore: count conserved, FIFO, never stranded", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(holderScript, { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        (scripts, capacity, bounded) =>
          runVirtual(
            holdersScenario(
              scripts,
              bounded ? new asyncio.BoundedSemaphore(capacity) : new asyncio.Semaphore(capacity),
              capacity,
            ),
          ),
      ),
      { numRuns: RUNS },
    );
  });
});

const producerScript = fc.record({
  start: fc.integer({ min: 0, max: 3 }),
  puts: fc.array(fc.record({ timeout: maybeSeconds(3), gap: fc.integer({ min: 0, max: 2 }) }), {
    maxLength: 6,
  }),
  cancelAt: cancellation,
});
const consumerScript = fc.record({
  start: fc.integer({ min: 0, max: 3 }),
  gets: fc.array(fc.record({ timeout: maybeSeconds(3), gap: fc.integer({ min: 0, max: 2 }) }), {
    maxLength: 8,
  }),
  cancelAt: cancellation,
});
type ProducerScript = typeof producerScript extends fc.Arbitrary<infer S> ? S : never;
type ConsumerScript = typeof consumerScript extends fc.Arbitrary<infer S> ? S : never;

const queueKinds = ["fifo", "lifo", "priority"] as const;
type QueueKind = (typeof queueKinds)[number];

function makeQueue(kind: QueueKind, maxsize: number): asyncio.Queue<number> {
  if (kind === "lifo") return new asyncio.LifoQueue<number>(maxsize);
  if (kind === "priority") return new asyncio.PriorityQueue<number>(maxsize);
  return new asyncio.Queue<number>(maxsize);
}

/**
 * Producers put unique numbers, consumers get them, with timeouts, cancellations and maybe a
 * shutdown. Every item put is got exactly once, is still queued, or was dropped by
 * `shutdown(true)`; a FIFO queue keeps the order; no waiter is stranded.
 */
function* queueScenario(
  kind: QueueKind,
  maxsize: number,
  producers: ProducerScript[],
  consumers: ConsumerScript[],
  shutdown: { at: number; immediate: boolean } | null,
): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const queue = makeQueue(kind, maxsize);
  const putOk: number[] = [];
  const got: number[] = [];
  let dropped: number[] = [];
  let nextItem = 0;
  let finished = false;
  const violations = monitor(
    () => {
      if (queue._isShutdown) return null;
      if (queue.qsize() > 0 && anyPending(queue._getters)) return "a getter is stranded";
      if (!queue.full() && anyPending(queue._putters)) return "a putter is stranded";
      return null;
    },
    () => !finished,
  );

  function* producer(script: ProducerScript): asyncio.Coro<void> {
    yield* asyncio.sleep(script.start);
    for (const step of script.puts) {
      const item = nextItem++;
      try {
        const timedOut = yield* maybeTimeout(step.timeout, function* () {
          yield* queue.put(item);
        });
        if (!timedOut) {
          putOk.push(item);
          assert.ok(maxsize <= 0 || queue.qsize() <= maxsize);
        }
      } catch (error) {
        if (error instanceof asyncio.QueueShutDown) return;
        throw error;
      }
      yield* asyncio.sleep(step.gap);
    }
  }

  function* consumer(script: ConsumerScript): asyncio.Coro<void> {
    yield* asyncio.sleep(script.start);
    for (const step of script.gets) {
      try {
        yield* maybeTimeout(step.timeout, function* () {
          got.push(yield* queue.get());
          queue.taskDone();
        });
      } catch (error) {
        if (error instanceof asyncio.QueueShutDown) return;
        throw error;
      }
      yield* asyncio.sleep(step.gap);
    }
  }

  const tasks = [...producers.map(producer), ...consumers.map(consumer)].map((coro) =>
    asyncio.createTask(coro),
  );
  for (const [index, script] of [...producers, ...consumers].entries()) {
    cancelLater(tasks[index]!, script.cancelAt);
  }
  if (shutdown !== null) {
    loop.callAt(shutdown.at, () => {
      if (shutdown.immediate) dropped = queue._snapshot();
      queue.shutdown(shutdown.immediate);
    });
  }
  yield* joinAll(tasks);
  finished = true;
  assert.deepEqual(violations, []);
  assert.equal(queue.statistics().getters + queue.statistics().putters, 0);
  const remaining: number[] = [];
  while (!queue.empty()) remaining.push(queue.getNowait());
  assert.equal(queue.statistics().unfinishedTasks, remaining.length);
  const accounted = [...got, ...dropped, ...remaining];
  if (kind === "fifo") assert.deepEqual(accounted, putOk);
  else
    assert.deepEqual(
      [...accounted].sort((a, b) => a - b),
      [...putOk].sort((a, b) => a - b),
    );
}

describe("properties: queues under random schedules", () => {
  it("every item put is got once or still queued; FIFO order; no waiter stranded", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...queueKinds),
        fc.integer({ min: 0, max: 3 }),
        fc.array(producerScript, { minLength: 1, maxLength: 3 }),
        fc.array(consumerScript, { minLength: 1, maxLength: 4 }),
        fc.option(fc.record({ at: fc.integer({ min: 0, max: 15 }), immediate: fc.boolean() }), {
          nil: null,
        }),
        (kind, maxsize, producers, consumers, shutdown) =>
          runVirtual(queueScenario(kind, maxsize, producers, consumers, shutdown)),
      ),
      { numRuns: RUNS * 2 },
    );
  });
});

const conditionScript = fc.record({
  start: fc.integer({ min: 0, max: 3 }),
  rounds: fc.array(fc.record({ timeout: maybeSeconds(3), gap: fc.integer({ min: 0, max: 2 }) }), {
    maxLength: 5,
  }),
  cancelAt: cancellation,
});
type ConditionScript = typeof conditionScript extends fc.Arbitrary<infer S> ? S : never;

/**
 * A bounded buffer built from two Conditions over one Lock, with `notify(1)` only: with
 * cancellations and timeouts in the mix, no notification is lost (no consumer waits while an
 * item sits in the buffer and nobody holds the lock), the lock is never held twice and is
 * held again whenever a wait ends, however it ends.
 */
function* conditionScenario(
  capacity: number,
  producers: ConditionScript[],
  consumers: ConditionScript[],
): asyncio.Coro<void> {
  const lock = new asyncio.Lock();
  const notFull = new asyncio.Condition(lock);
  const notEmpty = new asyncio.Condition(lock);
  const buffer: number[] = [];
  const produced: number[] = [];
  const consumed: number[] = [];
  let holders = 0;
  let nextItem = 0;
  let finished = false;
  const violations = monitor(
    () => {
      if (lock.locked()) return null;
      if (buffer.length > 0 && anyPending(notEmpty._waiters)) return "a consumer missed an item";
      if (buffer.length < capacity && anyPending(notFull._waiters))
        return "a producer missed a slot";
      return null;
    },
    () => !finished,
  );

  function* critical(body: () => asyncio.Coro<void>): asyncio.Coro<void> {
    yield* lock.acquire();
    holders++;
    assert.equal(holders, 1);
    try {
      yield* body();
    } finally {
      assert.equal(lock.locked(), true, "the lock is held again when a wait ends");
      holders--;
      lock.release();
    }
  }

  function* party(script: ConditionScript, produce: boolean): asyncio.Coro<void> {
    yield* asyncio.sleep(script.start);
    for (const round of script.rounds) {
      yield* maybeTimeout(round.timeout, () =>
        critical(function* () {
          holders--;
          try {
            if (produce) yield* notFull.waitFor(() => buffer.length < capacity);
            else yield* notEmpty.waitFor(() => buffer.length > 0);
          } finally {
            holders++;
          }
          assert.equal(holders, 1);
          if (produce) {
            const item = nextItem++;
            buffer.push(item);
            produced.push(item);
            notEmpty.notify(1);
          } else {
            consumed.push(buffer.shift()!);
            notFull.notify(1);
          }
        }),
      );
      yield* asyncio.sleep(round.gap);
    }
  }

  const scripts = [...producers, ...consumers];
  const tasks = scripts.map((script, index) =>
    asyncio.createTask(party(script, index < producers.length)),
  );
  for (const [index, script] of scripts.entries()) cancelLater(tasks[index]!, script.cancelAt);
  yield* joinAll(tasks);
  finished = true;
  assert.deepEqual(violations, []);
  assert.equal(lock.locked(), false);
  assert.deepEqual([...consumed, ...buffer], produced);
}

describe("properties: Condition under random schedules", () => {
  it("notify(1) is never lost and the lock is always re-acquired", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(conditionScript, { minLength: 1, maxLength: 3 }),
        fc.array(conditionScript, { minLength: 1, maxLength: 4 }),
        (capacity, producers, consumers) =>
          runVirtual(conditionScenario(capacity, producers, consumers)),
      ),
      { numRuns: RUNS },
    );
  });
});

/** One instant of hand-offs and cancellations: everything happens at t=1, in random order. */
const race = fc.record({
  waiters: fc.integer({ min: 1, max: 5 }),
  handoffs: fc.integer({ min: 1, max: 3 }),
  handoffHops: fc.integer({ min: 0, max: 3 }),
  cancels: fc.array(fc.record({ waiter: fc.nat(), hops: fc.integer({ min: 0, max: 4 }) }), {
    maxLength: 5,
  }),
});
type Race = typeof race extends fc.Arbitrary<infer S> ? S : never;

/**
 * Starts `race.waiters` tasks running `wait(i)`, then at t=1 (after `handoffHops` iterations)
 * calls `handOff()` `race.handoffs` times while the chosen waiters are cancelled, each after
 * its own number of iterations. At t=1.5 `stranded()` must be null; then everything left is
 * cancelled and `finish()` checks the end state.
 */
function* raceScenario(
  spec: Race,
  wait: (index: number) => asyncio.Coro<void>,
  handOff: () => void,
  stranded: () => string | null,
  finish: () => void,
): asyncio.Coro<void> {
  const loop = asyncio.getRunningLoop();
  const waiters = Array.from({ length: spec.waiters }, (_, index) =>
    asyncio.createTask(wait(index)),
  );
  yield* asyncio.sleep(1);
  for (const cancel of spec.cancels) {
    cancelLater(waiters[cancel.waiter % spec.waiters]!, { at: 1, hops: cancel.hops });
  }
  for (let hop = 0; hop < spec.handoffHops; hop++) yield* asyncio.sleep(0);
  for (let count = 0; count < spec.handoffs; count++) handOff();
  let problem: string | null = null;
  loop.callAt(1.5, () => {
    problem = stranded();
  });
  yield* asyncio.sleep(1);
  for (const task of waiters) task.cancel();
  yield* joinAll(waiters);
  assert.equal(problem, null);
  finish();
}

describe("properties: a hand-off and cancellations in the same instant", () => {
  it("Queue.get: an item handed to a cancelled getter goes to the next one", async () => {
    await fc.assert(
      fc.asyncProperty(race, (spec) => {
        const queue = new asyncio.Queue<number>();
        const got: number[] = [];
        let next = 0;
        return runVirtual(
          raceScenario(
            spec,
            function* () {
              got.push(yield* queue.get());
            },
            () => queue.putNowait(next++),
            () => (queue.qsize() > 0 && anyPending(queue._getters) ? "getter stranded" : null),
            () => {
              const remaining: number[] = [];
              while (!queue.empty()) remaining.push(queue.getNowait());
              assert.deepEqual(
                [...got, ...remaining],
                Array.from({ length: next }, (_, i) => i),
              );
            },
          ),
        );
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("Queue.put: a slot freed for a cancelled putter goes to the next one", async () => {
    await fc.assert(
      fc.asyncProperty(race, (spec) => {
        const queue = new asyncio.Queue<number>(1);
        queue.putNowait(-1);
        const taken: number[] = [];
        const put: number[] = [];
        return runVirtual(
          raceScenario(
            spec,
            function* (index) {
              yield* queue.put(index);
              put.push(index);
            },
            () => {
              if (!queue.empty()) taken.push(queue.getNowait());
            },
            () => (!queue.full() && anyPending(queue._putters) ? "putter stranded" : null),
            () => {
              const remaining: number[] = [];
              while (!queue.empty()) remaining.push(queue.getNowait());
              assert.deepEqual([...taken, ...remaining], [-1, ...put]);
            },
          ),
        );
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("Lock and Semaphore: a slot released to a cancelled waiter goes to the next one", async () => {
    await fc.assert(
      fc.asyncProperty(race, fc.boolean(), (spec, useLock) => {
        const primitive = useLock ? new asyncio.Lock() : new asyncio.Semaphore(spec.handoffs);
        const capacity = useLock ? 1 : spec.handoffs;
        let holders = 0;
        let held = capacity;
        const free = () =>
          primitive instanceof asyncio.Lock ? !primitive.locked() : primitive._value > 0;
        return runVirtual(
          (function* () {
            for (let i = 0; i < capacity; i++) yield* primitive.acquire();
            yield* raceScenario(
              spec,
              function* () {
                yield* primitive.acquire();
                holders++;
                assert.ok(holders <= capacity);
              },
              () => {
                // A Lock is released once; the rest of the hand-offs have nothing to give.
                if (held > 0) {
                  held--;
                  primitive.release();
                }
              },
              () => (free() && anyPending(primitive._waiters) ? "waiter stranded" : null),
              () => {
                if (primitive instanceof asyncio.Semaphore) {
                  assert.equal(primitive._value + holders + held, capacity);
                } else assert.equal(primitive.locked(), holders + held === 1);
              },
            );
          })(),
        );
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("Condition: a notification to a cancelled waiter goes to the next one", async () => {
    await fc.assert(
      fc.asyncProperty(race, (spec) => {
        const cond = new asyncio.Condition();
        let items = 0;
        let consumed = 0;
        let produced = 0;
        return runVirtual(
          raceScenario(
            spec,
            function* () {
              yield* cond.acquire();
              try {
                yield* cond.waitFor(() => items > 0);
                items--;
                consumed++;
              } finally {
                cond.release();
              }
            },
            () => {
              // Called from a task step, without the lock held: take it without waiting.
              assert.equal(cond.locked(), false);
              assert.deepEqual([...(cond.acquire() as Iterable<unknown>)], []);
              items++;
              produced++;
              cond.notify(1);
              cond.release();
            },
            () =>
              !cond.locked() && items > 0 && anyPending(cond._waiters) ? "notification lost" : null,
            () => assert.equal(consumed + items, produced),
          ),
        );
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
