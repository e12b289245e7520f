import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import * as asyncio from "../../src/index.ts";
import { caught, runVirtual } from "../helpers.ts";

type QueueClass = new (maxsize?: number) => asyncio.Queue<unknown>;
const QUEUE_CLASSES: [string, QueueClass][] = [
  ["Queue", asyncio.Queue],
  ["LifoQueue", asyncio.LifoQueue],
  ["PriorityQueue", asyncio.PriorityQueue as QueueClass],
];

describe("Queue", () => {
  it("gets items in FIFO order", () => {
    const queue = new asyncio.Queue<number>();
    for (const item of [1, 3, 2]) queue.putNowait(item);
    assert.deepEqual([queue.getNowait(), queue.getNowait(), queue.getNowait()], [1, 3, 2]);
  });

  it("qsize, empty, full and maxsize follow the items", () => {
    const queue = new asyncio.Queue<string>(2);
    assert.equal(queue.maxsize, 2);
    assert.equal(queue.empty(), true);
    assert.equal(queue.full(), false);
    queue.putNowait("a");
    queue.putNowait("b");
    assert.equal(queue.qsize(), 2);
    assert.equal(queue.full(), true);
    assert.throws(
      () => queue.putNowait("c"),
      (error: unknown) => {
        assert.ok(error instanceof asyncio.QueueFull);
        assert.equal(error.name, "QueueFull");
        return true;
      },
    );
    assert.equal(queue.qsize(), 2);
    queue.getNowait();
    queue.getNowait();
    assert.throws(() => queue.getNowait(), asyncio.QueueEmpty);
  });

  it("maxsize 0 or less is unbounded; a fractional maxsize rounds up as in asyncio", () => {
    for (const maxsize of [0, -1, Infinity]) {
      const queue = new asyncio.Queue<number>(maxsize);
      for (let i = 0; i < 5000; i++) queue.putNowait(i);
      assert.equal(queue.full(), false);
      assert.equal(queue.qsize(), 5000);
    }
    const queue = new asyncio.Queue<number>(1.3);
    queue.putNowait(1);
    queue.putNowait(2);
    assert.equal(queue.full(), true);
    assert.throws(() => new asyncio.Queue(Number.NaN), { name: "ValueError" });
    assert.throws(() => new asyncio.Queue("3" as never), { name: "TypeError" });
  });

  it("a producer and a consumer through Queue(1) alternate in asyncio's order", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>(1);
        const producer = asyncio.createTask(
          (function* () {
            for (let i = 0; i < 3; i++) {
              events.push(`put ${i}`);
              yield* queue.put(i);
            }
            events.push("producer done");
          })(),
        );
        const consumer = asyncio.createTask(
          (function* () {
            for (let i = 0; i < 3; i++) events.push(`got ${yield* queue.get()}`);
          })(),
        );
        yield* producer;
        yield* consumer;
      })(),
    );
    assert.deepEqual(events, [
      "put 0",
      "put 1",
      "got 0",
      "put 2",
      "got 1",
      "producer done",
      "got 2",
    ]);
  });

  it("get() on a non-empty queue and put() on a non-full one complete without suspending", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>(5);
        asyncio.createTask(
          (function* () {
            events.push("other");
          })(),
        );
        yield* queue.put(1);
        const item: number = yield* queue.get();
        events.push(`got ${item}`);
        yield* asyncio.sleep(0);
      })(),
    );
    assert.deepEqual(events, ["got 1", "other"]);
  });

  it("a waiting getter gets the item put for it", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>();
        const getter = asyncio.createTask(queue.get());
        yield* asyncio.sleep(0);
        yield* queue.put("a");
        assert.equal(yield* getter, "a");
      })(),
    );
  });

  it("waiting putters are served in order as items are got", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>(1);
        asyncio.createTask(queue.put("a"));
        asyncio.createTask(queue.put("b"));
        assert.equal(yield* queue.get(), "a");
        assert.equal(yield* queue.get(), "b");
      })(),
    );
  });

  it("a cancelled getter is not counted, and the next getter gets the item", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>();
        const t1 = asyncio.createTask(queue.get());
        const t2 = asyncio.createTask(queue.get());
        yield* asyncio.sleep(0);
        t1.cancel();
        yield* asyncio.sleep(0);
        assert.equal(t1.cancelled(), true);
        assert.equal(queue._getters.length, 1);
        yield* queue.put("a");
        assert.equal(yield* t2, "a");
      })(),
    );
  });

  it("a getter cancelled just as an item arrives leaves the item, for the next getter", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>();
        const t1 = asyncio.createTask(queue.get());
        const t2 = asyncio.createTask(queue.get());
        yield* asyncio.sleep(0);
        queue.putNowait("item");
        // t1 was woken for the item; cancel it before it runs.
        t1.cancel();
        yield* asyncio.sleep(0);
        assert.equal(t1.cancelled(), true);
        assert.equal(yield* t2, "item");
        assert.equal(queue.qsize(), 0);
      })(),
    );
  });

  it("a getter cancelled as an item arrives, with no other getter, leaves the item queued", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>();
        const t1 = asyncio.createTask(queue.get());
        yield* asyncio.sleep(0);
        queue.putNowait("item");
        t1.cancel();
        yield* asyncio.sleep(0);
        assert.equal(t1.cancelled(), true);
        assert.equal(queue.qsize(), 1);
        assert.equal(queue.getNowait(), "item");
      })(),
    );
  });

  it("a putter cancelled as a slot frees up puts nothing, and the next putter takes the slot", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>(1);
        const putA = asyncio.createTask(queue.put("a"));
        const putB = asyncio.createTask(queue.put("b"));
        const putX = asyncio.createTask(queue.put("X"));
        yield* asyncio.sleep(0);
        assert.equal(putA.done(), true);
        assert.equal(putB.done(), false);
        putX.cancel();
        yield* asyncio.sleep(0);
        assert.equal(putX.cancelled(), true);
        assert.equal(queue.getNowait(), "a");
        yield* asyncio.sleep(0);
        assert.equal(queue.getNowait(), "b");
        yield* putB;
        assert.equal(queue.qsize(), 0);
      })(),
    );
  });

  it("a putter woken for a slot and cancelled before it runs wakes the next putter", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>(1);
        queue.putNowait("first");
        const putB = asyncio.createTask(queue.put("b"));
        const putC = asyncio.createTask(queue.put("c"));
        yield* asyncio.sleep(0);
        assert.equal(queue.getNowait(), "first");
        putB.cancel();
        yield* asyncio.sleep(0);
        yield* asyncio.sleep(0);
        assert.equal(putB.cancelled(), true);
        assert.equal(putC.done(), true);
        assert.deepEqual([queue.getNowait(), queue.qsize()], ["c", 0]);
        assert.equal(queue._putters.length, 0);
      })(),
    );
  });

  it("cancelled putters do not stay in the putters", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>(1);
        queue.putNowait(1);
        const putTask = asyncio.createTask(queue.put(2));
        yield* asyncio.sleep(0);
        assert.equal(queue._putters.length, 1);
        putTask.cancel();
        assert.ok(asyncio.isCancelledError(yield* caught(putTask)));
        assert.equal(queue._putters.length, 0);
        assert.deepEqual([queue.qsize(), queue.getNowait()], [1, 1]);
      })(),
    );
  });

  it("a get timed out (cancelled from a timer) leaves no getter behind", async () => {
    await runVirtual(
      (function* () {
        const loop = asyncio.getRunningLoop();
        const queue = new asyncio.Queue<number>(5);
        const get = asyncio.createTask(queue.get());
        loop.callLater(0.1, () => get.cancel());
        assert.ok(asyncio.isCancelledError(yield* caught(get)));
        assert.equal(loop.time(), 0.1);
        assert.equal(queue._getters.length, 0);
        queue.putNowait(1);
        assert.equal(queue.qsize(), 1);
      })(),
    );
  });

  it("taskDone and join: join waits until every item put was marked done", async () => {
    const events: string[] = [];
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>();
        for (let i = 0; i < 3; i++) queue.putNowait(i);
        function* worker(): asyncio.Coro<void> {
          for (;;) {
            const item = yield* queue.get();
            yield* asyncio.sleep(1);
            events.push(`done ${item}`);
            queue.taskDone();
          }
        }
        const workers = [asyncio.createTask(worker()), asyncio.createTask(worker())];
        yield* queue.join();
        events.push(`joined at ${asyncio.getRunningLoop().time()}`);
        for (const task of workers) task.cancel();
        assert.throws(() => queue.taskDone(), {
          name: "ValueError",
          message: /too many times/,
        });
      })(),
    );
    assert.deepEqual(events, ["done 0", "done 1", "done 2", "joined at 2"]);
  });

  it("join on a queue with nothing unfinished returns at once", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>();
        yield* queue.join();
        queue.putNowait(1);
        queue.getNowait();
        queue.taskDone();
        yield* queue.join();
      })(),
    );
  });

  it("a put() awaitable runs once: awaiting it again is a RuntimeError", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>();
        const put = queue.put(7);
        yield* put;
        const error = yield* caught(put);
        assert.ok(error instanceof asyncio.RuntimeError);
        assert.match(error.message, /awaited already/);
        assert.equal(queue.qsize(), 1);
      })(),
    );
  });

  it("puts created together and awaited later each put their own item", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>(1);
        const puts = [queue.put(1), queue.put(2), queue.put(3)];
        const tasks = puts.map((put) => asyncio.createTask(put));
        const got = [yield* queue.get(), yield* queue.get(), yield* queue.get()];
        for (const task of tasks) yield* task;
        assert.deepEqual(got, [1, 2, 3]);
      })(),
    );
  });

  it("get() and put() awaitables refuse to be driven by hand", () => {
    const queue = new asyncio.Queue<number>();
    const put = queue.put(1) as unknown as Iterator<unknown>;
    assert.throws(() => put.next(), { name: "RuntimeError", message: /yield\*/ });
    assert.equal(queue.qsize(), 0);
    const get = queue.get() as unknown as Iterator<unknown>;
    assert.throws(() => get.next(), asyncio.QueueEmpty);
  });

  it("putNowait from a plain callback wakes a waiting getter", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<string>();
        setImmediate(() => queue.putNowait("from node"));
        assert.equal(yield* queue.get(), "from node");
      })(),
    );
  });

  it("is consumed by for await from plain async code until shut down", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number | PromiseLike<number>>(2);
        const seen: unknown[] = [];
        const consumer = (async () => {
          for await (const item of queue) seen.push(item);
          return "ended";
        })();
        const promise = Promise.resolve(99);
        for (const item of [1, 2, 3, promise, 5]) yield* queue.put(item);
        queue.shutdown();
        assert.equal(yield* asyncio.fromPromise(consumer), "ended");
        // Items come out as they went in: a promise is not awaited on the way.
        assert.deepEqual(seen, [1, 2, 3, promise, 5]);
        assert.equal(seen[3], promise);
      })(),
    );
  });

  it("for await stops early with break and leaves the rest queued", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>();
        for (const item of [1, 2, 3]) queue.putNowait(item);
        const first = (async () => {
          for await (const item of queue) return item;
          return -1;
        })();
        assert.equal(yield* asyncio.fromPromise(first), 1);
        assert.equal(queue.qsize(), 2);
      })(),
    );
  });

  it("statistics, toString and inspect show items, waiters and state", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.Queue<number>(1);
        assert.equal(String(queue), "<Queue maxsize=1>");
        queue.putNowait(1);
        const putter = asyncio.createTask(queue.put(2));
        yield* asyncio.sleep(0);
        assert.deepEqual(queue.statistics(), {
          qsize: 1,
          maxsize: 1,
          getters: 0,
          putters: 1,
          unfinishedTasks: 1,
          shutdown: false,
        });
        assert.equal(inspect(queue), "<Queue maxsize=1 items=[1] putters=1 unfinished=1>");
        queue.getNowait();
        yield* putter;
        queue.getNowait();
        const getter = asyncio.createTask(queue.get());
        yield* asyncio.sleep(0);
        assert.equal(String(queue), "<Queue maxsize=1 getters=1 unfinished=2>");
        queue.shutdown();
        yield* caught(getter);
        assert.equal(String(queue), "<Queue maxsize=1 unfinished=2 shutdown>");
        const long = new asyncio.Queue<number>();
        for (let i = 0; i < 12; i++) long.putNowait(i);
        assert.equal(
          String(long),
          "<Queue maxsize=0 items=[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …2 more] unfinished=12>",
        );
      })(),
    );
  });
});

describe("Queue.shutdown", () => {
  for (const [name, QueueClass] of QUEUE_CLASSES) {
    it(`${name}: shutting down an empty queue fails waiting and later gets and puts`, async () => {
      await runVirtual(
        (function* () {
          const queue = new QueueClass();
          const getTask = asyncio.createTask(queue.get());
          yield* asyncio.sleep(0);
          queue.shutdown();
          assert.equal(queue.qsize(), 0);
          yield* queue.join();
          assert.ok((yield* caught(getTask)) instanceof asyncio.QueueShutDown);
          assert.ok((yield* caught(queue.put("data"))) instanceof asyncio.QueueShutDown);
          assert.throws(() => queue.putNowait("data"), asyncio.QueueShutDown);
          assert.ok((yield* caught(queue.get())) instanceof asyncio.QueueShutDown);
          assert.throws(() => queue.getNowait(), asyncio.QueueShutDown);
        })(),
      );
    });

    it(`${name}: after shutdown(), gets drain the items left, waiting puts fail`, async () => {
      await runVirtual(
        (function* () {
          const queue = new QueueClass(1);
          queue.putNowait("data");
          const joinTask = asyncio.createTask(queue.join());
          const putTask = asyncio.createTask(queue.put("data2"));
          yield* asyncio.sleep(0);
          assert.equal(putTask.done(), false);
          queue.shutdown();
          assert.equal(queue.qsize(), 1);
          yield* asyncio.sleep(0);
          assert.ok((yield* caught(putTask)) instanceof asyncio.QueueShutDown);
          assert.equal(yield* queue.get(), "data");
          yield* asyncio.sleep(0);
          assert.equal(joinTask.done(), false);
          assert.ok((yield* caught(queue.get())) instanceof asyncio.QueueShutDown);
          queue.taskDone();
          yield* asyncio.sleep(0);
          assert.equal(joinTask.done(), true);
          assert.throws(() => queue.taskDone(), asyncio.ValueError);
        })(),
      );
    });

    it(`${name}: shutdown(true) drops the items and counts them done`, async () => {
      await runVirtual(
        (function* () {
          const queue = new QueueClass();
          queue.putNowait("data");
          const joinTask = asyncio.createTask(queue.join());
          queue.shutdown(true);
          assert.equal(queue.qsize(), 0);
          yield* asyncio.sleep(0);
          assert.equal(joinTask.done(), true);
          assert.ok((yield* caught(queue.get())) instanceof asyncio.QueueShutDown);
          assert.throws(() => queue.taskDone(), asyncio.ValueError);
        })(),
      );
    });

    it(`${name}: shutdown(true) with items already got leaves those unfinished`, async () => {
      await runVirtual(
        (function* () {
          const queue = new QueueClass();
          queue.putNowait("data");
          queue.putNowait("data");
          const joinTask = asyncio.createTask(queue.join());
          assert.equal(yield* queue.get(), "data");
          queue.shutdown(true);
          yield* asyncio.sleep(0);
          assert.equal(joinTask.done(), false);
          queue.taskDone();
          assert.throws(() => queue.taskDone(), asyncio.ValueError);
          yield* joinTask;
        })(),
      );
    });
  }
});

describe("LifoQueue", () => {
  it("gets the most recent item first", () => {
    const queue = new asyncio.LifoQueue<number>();
    for (const item of [1, 3, 2]) queue.putNowait(item);
    assert.deepEqual([queue.getNowait(), queue.getNowait(), queue.getNowait()], [2, 3, 1]);
    assert.equal(String(queue), "<LifoQueue maxsize=0 unfinished=3>");
  });
});

describe("PriorityQueue", () => {
  it("gets the smallest item first, ordering arrays like Python tuples", () => {
    const queue = new asyncio.PriorityQueue<[number, string]>();
    for (const item of [
      [2, "b"],
      [1, "z"],
      [2, "a"],
      [0, "x"],
    ] as [number, string][]) {
      queue.putNowait(item);
    }
    const order = [];
    while (!queue.empty()) order.push(queue.getNowait());
    assert.deepEqual(order, [
      [0, "x"],
      [1, "z"],
      [2, "a"],
      [2, "b"],
    ]);
  });

  it("takes maxsize as a number or in an options object with a compare function", () => {
    const bounded = new asyncio.PriorityQueue<number>(2);
    assert.equal(bounded.maxsize, 2);
    const queue = new asyncio.PriorityQueue<{ deadline: number; name: string }>({
      maxsize: 3,
      compare: (a, b) => a.deadline - b.deadline,
    });
    queue.putNowait({ deadline: 5, name: "later" });
    queue.putNowait({ deadline: 1, name: "soon" });
    assert.equal(queue.maxsize, 3);
    assert.equal(queue.getNowait().name, "soon");
    assert.throws(() => new asyncio.PriorityQueue<number>({ compare: 3 as never }), {
      name: "TypeError",
    });
  });

  it("items Python cannot order are a TypeError, and the queue is unchanged", () => {
    const queue = new asyncio.PriorityQueue<unknown>();
    queue.putNowait(1);
    queue.putNowait(2);
    assert.throws(() => queue.putNowait("a"), { name: "TypeError", message: /cannot order/ });
    assert.deepEqual(queue.statistics().qsize, 2);
    assert.deepEqual(queue.statistics().unfinishedTasks, 2);
    assert.deepEqual([queue.getNowait(), queue.getNowait()], [1, 2]);
  });

  it("a compare function that throws on get leaves the items in place", () => {
    let failing = false;
    const queue = new asyncio.PriorityQueue<number>({
      compare: (a, b) => {
        if (failing) throw new Error("compare failed");
        return a - b;
      },
    });
    for (const item of [5, 3, 8, 1, 4]) queue.putNowait(item);
    failing = true;
    assert.throws(() => queue.getNowait(), /compare failed/);
    assert.equal(queue.qsize(), 5);
    failing = false;
    const order = [];
    while (!queue.empty()) order.push(queue.getNowait());
    assert.deepEqual(order, [1, 3, 4, 5, 8]);
  });

  it("a waiting putter whose item is refused passes the free slot on", async () => {
    await runVirtual(
      (function* () {
        const queue = new asyncio.PriorityQueue<unknown>(2);
        queue.putNowait(5);
        queue.putNowait(6);
        const refused = asyncio.createTask(queue.put("not a number"));
        const next = asyncio.createTask(queue.put(3));
        yield* asyncio.sleep(0);
        assert.equal(queue.getNowait(), 5);
        const error = yield* caught(refused);
        assert.ok(error instanceof TypeError);
        // The slot the refused putter was woken for went on to the next putter.
        yield* next;
        assert.deepEqual([queue.getNowait(), queue.getNowait()], [3, 6]);
      })(),
    );
  });

  it("a waiting getter whose item cannot be taken passes the wake-up on", async () => {
    await runVirtual(
      (function* () {
        let failOnce = false;
        const queue = new asyncio.PriorityQueue<number>({
          compare: (a, b) => {
            if (failOnce) {
              failOnce = false;
              throw new Error("compare failed");
            }
            return a - b;
          },
        });
        const getters = [1, 2, 3, 4].map(() => asyncio.createTask(queue.get()));
        yield* asyncio.sleep(0);
        // Three items wake the first three getters; the first one's pop fails once.
        for (const item of [3, 2, 1]) queue.putNowait(item);
        failOnce = true;
        const error = yield* caught(getters[0]!);
        assert.match(String(error), /compare failed/);
        // Its wake-up went on to the fourth getter, which would otherwise wait forever with
        // an item in the queue.
        const got = [];
        for (const getter of getters.slice(1)) got.push(yield* getter);
        assert.deepEqual(got, [1, 2, 3]);
        assert.equal(queue.qsize(), 0);
      })(),
    );
  });
});
