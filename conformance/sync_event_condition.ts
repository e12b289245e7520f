/**
 * Port of sync_event_condition.py: Event and Condition wake-up order, wait_for, cancellation
 * while waiting and while re-acquiring, errors. The Python program only sleeps, so this runs on
 * the virtual clock.
 */

import * as asyncio from "../src/index.ts";

const py = (value: unknown): string =>
  value === true ? "True" : value === false ? "False" : String(value);

function* eventWakesAll(): asyncio.Coro<void> {
  const event = new asyncio.Event();
  function* waiter(name: string): asyncio.Coro<void> {
    console.log(`${name} waits`);
    console.log(`${name} woke`, py(yield* event.wait()));
  }
  const tasks = [..."abc"].map((name) => asyncio.createTask(waiter(name)));
  yield* asyncio.sleep(0.01);
  console.log("set; is_set before", py(event.isSet()));
  event.set();
  event.clear();
  console.log("cleared; is_set", py(event.isSet()));
  for (const task of tasks) yield* task;
  const late = asyncio.createTask(event.wait());
  yield* asyncio.sleep(0.01);
  console.log("late waiter done", py(late.done()));
  event.set();
  console.log("late waiter got", py(yield* late));
  console.log("set event passes at once", py(yield* event.wait()));
}

function* eventCancelledWaiter(): asyncio.Coro<void> {
  const event = new asyncio.Event();
  const cancelled = asyncio.createTask(event.wait());
  const other = asyncio.createTask(event.wait());
  yield* asyncio.sleep(0);
  cancelled.cancel();
  yield* asyncio.sleep(0);
  event.set();
  console.log("other got", py(yield* other), "cancelled", py(cancelled.cancelled()));
}

function* conditionNotifyOrder(): asyncio.Coro<void> {
  const cond = new asyncio.Condition();
  function* waiter(name: string): asyncio.Coro<void> {
    yield* asyncio.using(cond, function* () {
      console.log(`${name} waits`);
      const result = yield* cond.wait();
      console.log(`${name} woke ${py(result)} locked=${py(cond.locked())}`);
    });
  }
  const tasks = [..."abcd"].map((name) => asyncio.createTask(waiter(name)));
  yield* asyncio.sleep(0);
  yield* asyncio.using(cond, function* () {
    cond.notify(2);
    console.log("notified 2");
  });
  yield* asyncio.sleep(0.01);
  yield* asyncio.using(cond, function* () {
    cond.notifyAll();
    console.log("notified all");
  });
  for (const task of tasks) yield* task;
}

function* conditionWaitFor(): asyncio.Coro<void> {
  const cond = new asyncio.Condition();
  let value = 0;
  const calls: number[] = [];
  const task = asyncio.createTask(
    asyncio.using(cond, function* () {
      return yield* cond.waitFor(() => {
        calls.push(value);
        return value >= 2 && `value ${value}`;
      });
    }),
  );
  for (const step of [1, 2]) {
    yield* asyncio.sleep(0.01);
    yield* asyncio.using(cond, function* () {
      value = step;
      cond.notify();
    });
  }
  console.log("wait_for returned", yield* task, "calls", `[${calls.join(", ")}]`);
}

function* conditionCancelledWait(): asyncio.Coro<void> {
  const cond = new asyncio.Condition();
  yield* cond.acquire();
  const wait = asyncio.createTask(cond.wait());
  asyncio.getRunningLoop().callSoon(() => wait.cancel());
  try {
    yield* wait;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("wait cancelled; locked", py(cond.locked()));
  }
  cond.release();
}

function* conditionCancelledRelock(): asyncio.Coro<void> {
  const cond = new asyncio.Condition();
  let wake = false;
  const task = asyncio.createTask(
    asyncio.using(cond, function* () {
      try {
        yield* cond.waitFor(() => wake);
      } catch (error) {
        if (!asyncio.isCancelledError(error)) throw error;
        console.log("caught", error.name, `'${error.message}'`, "locked", py(cond.locked()));
        throw error;
      }
    }),
  );
  yield* asyncio.sleep(0);
  yield* cond.acquire();
  wake = true;
  cond.notify();
  yield* asyncio.sleep(0);
  task.cancel("foo");
  cond.release();
  try {
    yield* task;
  } catch (error) {
    if (!asyncio.isCancelledError(error)) throw error;
    console.log("task cancelled; locked", py(cond.locked()));
  }
}

function* conditionNotificationPassedOn(): asyncio.Coro<void> {
  const cond = new asyncio.Condition();
  let items = 0;
  function* consumer(name: string): asyncio.Coro<void> {
    yield* asyncio.using(cond, function* () {
      yield* cond.waitFor(() => items !== 0);
      items--;
      console.log(`${name} consumed`);
    });
  }
  const consumers = ["c0", "c1"].map((name) => asyncio.createTask(consumer(name)));
  yield* asyncio.sleep(0);
  yield* asyncio.using(cond, function* () {
    items++;
    cond.notify(1);
    consumers[0]!.cancel();
  });
  yield* asyncio.sleep(0.01);
  console.log("items left", items, "c0 cancelled", py(consumers[0]!.cancelled()));
  yield* consumers[1]!;
}

function* conditionErrors(): asyncio.Coro<void> {
  const cond = new asyncio.Condition();
  for (const [name, call] of [
    ["notify", () => cond.notify()],
    ["notify_all", () => cond.notifyAll()],
  ] as const) {
    try {
      call();
    } catch (error) {
      console.log(name, "without the lock:", (error as Error).name);
    }
  }
  try {
    yield* cond.wait();
  } catch (error) {
    asyncio.rethrowIfCancelled(error);
    console.log("wait without the lock:", (error as Error).name);
  }
  const lock = new asyncio.Lock();
  const first = new asyncio.Condition(lock);
  const second = new asyncio.Condition(lock);
  yield* asyncio.using(first, function* () {
    console.log("shared lock: second locked", py(second.locked()));
  });
}

function* main(): asyncio.Coro<void> {
  const sections: [string, () => asyncio.Coro<void>][] = [
    ["event_wakes_all", eventWakesAll],
    ["event_cancelled_waiter", eventCancelledWaiter],
    ["condition_notify_order", conditionNotifyOrder],
    ["condition_wait_for", conditionWaitFor],
    ["condition_cancelled_wait", conditionCancelledWait],
    ["condition_cancelled_relock", conditionCancelledRelock],
    ["condition_notification_passed_on", conditionNotificationPassedOn],
    ["condition_errors", conditionErrors],
  ];
  for (const [name, section] of sections) {
    console.log(`== ${name}`);
    yield* section();
  }
  console.log("== end");
}

await asyncio.run(main(), { clock: "virtual" });
