/**
 * TaskGroup (asyncio/taskgroups.py): a context manager that owns the tasks created through it.
 * The block does not end before every child is done; the first child error (other than
 * cancellation) cancels the other children and the body; all errors come out together as one
 * `ExceptionGroup`. Cancelling the task that runs the block from outside cancels the children
 * and stays a CancelledError. `tg.cancel()` (asyncio 3.15) ends the group early without an
 * error.
 *
 * Bookkeeping is one small member object per child: it is the child's waiter (no done
 * callback, closure or Handle) and a link of the group's list of running children, so adding
 * and removing a child costs no Set entry.
 */

import { type Awaitable, type Coro, isCoroutine } from "../core/coroutines.ts";
import { getRunningLoop } from "../core/events.ts";
import { CancelledError, KeyboardInterrupt, RuntimeError } from "../core/exceptions.ts";
import { inspectSymbol } from "../core/format.ts";
import type { Future } from "../core/futures.ts";
import type { EventLoop } from "../core/loop.ts";
import { addWaiter, FAILED, schedule, stateOf } from "../core/lowlevel.ts";
import { currentTask, type Task, type TaskOptions } from "../core/tasks.ts";
import { type AsyncContextManager, GeneratorExit } from "./contextmanagers.ts";
import { ExceptionGroup } from "./exceptiongroups.ts";

/**
 * One child of a group: the waiter its task wakes when done, and a link of the group's list of
 * running children. `_awaiter` tells the call graph that the group's parent task waits on it.
 */
class Member {
  prev: Member | null = null;
  next: Member | null = null;
  constructor(
    readonly group: TaskGroup,
    readonly task: Task<unknown>,
  ) {}

  get _awaiter(): Task<unknown> | null {
    return this.group._parentTask;
  }

  _run(): void {
    this.group._onTaskDone(this);
  }
}

/** Errors that end the group at once and come out as they are (Python's SystemExit, KeyboardInterrupt). */
function isBaseError(error: unknown): boolean {
  return error instanceof KeyboardInterrupt;
}

/**
 * A group of tasks that ends together. Use it through `using`; create children with
 * `tg.createTask(coro)`.
 *
 * Cancel safety: cancelling the task running the block cancels every child and waits for them
 * all before the CancelledError goes on; no child outlives the block.
 *
 * @example
 * ```ts
 * function* main(): asyncio.Coro<void> {
 *   yield* asyncio.using(new asyncio.TaskGroup(), function* (tg) {
 *     const users = tg.createTask(fetchUsers());
 *     const orders = tg.createTask(fetchOrders(), { name: "orders" });
 *     yield* asyncio.sleep(0.1);
 *     console.log(users.done(), orders.done());
 *   });
 *   // both are done here; had one failed, the other would have been cancelled, and the
 *   // block would have thrown an ExceptionGroup with the error
 * }
 * ```
 */
export class TaskGroup implements AsyncContextManager<TaskGroup, boolean> {
  #entered = false;
  #exiting = false;
  #aborting = false;
  #loop: EventLoop | null = null;
  /** @internal The task running the block. */
  _parentTask: Task<unknown> | null = null;
  #parentCancelRequested = false;
  #cancelOnEnter = false;
  #first: Member | null = null;
  #last: Member | null = null;
  #running = 0;
  #errors: unknown[] = [];
  #baseError: unknown = undefined;
  #hasBaseError = false;
  #allDone: Future<boolean> | null = null;

  /**
   * Creates a child task in the group. Not allowed before the block is entered, once it is
   * finished, or while the group is shutting down (after an error or `cancel()`).
   *
   * @example
   * ```ts
   * yield* asyncio.using(new asyncio.TaskGroup(), function* (tg) {
   *   for (const url of urls) tg.createTask(download(url), { name: url });
   * });
   * ```
   */
  createTask<T>(coro: Coro<T> | Awaitable<T>, options?: TaskOptions): Task<T> {
    if (!this.#entered) {
      closeCoroutine(coro);
      throw new RuntimeError(
        `TaskGroup ${this} has not been entered: create tasks inside using(tg, function* (tg) { … })`,
      );
    }
    if (this.#exiting && this.#running === 0) {
      closeCoroutine(coro);
      throw new RuntimeError(
        `TaskGroup ${this} is finished: its block has ended, so it takes no new tasks`,
      );
    }
    if (this.#aborting) {
      closeCoroutine(coro);
      throw new RuntimeError(
        `TaskGroup ${this} is shutting down: a child failed or the group was cancelled, so it takes no new tasks`,
      );
    }
    const task = this.#loop!.createTask(coro, options);
    const member = new Member(this, task as Task<unknown>);
    this.#link(member);
    // An eager task may already be done: its completion is still handled on the next
    // iteration, as for any other child, so an error never cancels the parent mid-call.
    if (task.done()) schedule(this.#loop!, member);
    else {
      addWaiter(task, member);
      // An eager child may have aborted the group while it started (asyncio gh-155418).
      if (this.#aborting) task.cancel();
    }
    return task;
  }

  /**
   * Ends the group early without an error: cancels every child and the body, and the block
   * returns normally once they are done. Before the block is entered it makes the group cancel
   * itself on entry; after it ended it does nothing.
   *
   * @example
   * ```ts
   * yield* asyncio.using(new asyncio.TaskGroup(), function* (tg) {
   *   tg.createTask(serve(port));
   *   tg.createTask(function* () { yield* shutdownRequested; tg.cancel(); }());
   * });
   * ```
   */
  cancel(): void {
    if (!this.#entered) {
      this.#cancelOnEnter = true;
      return;
    }
    if (this.#exiting && this.#running === 0) return;
    if (this.#aborting) return;
    this.#abort();
    if (this._parentTask !== null && !this.#parentCancelRequested) {
      this.#parentCancelRequested = true;
      this._parentTask.cancel();
    }
  }

  /** Enters the block: the current task becomes the group's parent. */
  *aenter(): Awaitable<TaskGroup> {
    if (this.#entered) {
      throw new RuntimeError(
        `TaskGroup ${this} has already been entered: make a new TaskGroup for each using()`,
      );
    }
    this.#loop ??= getRunningLoop();
    const parent = currentTask(this.#loop);
    if (parent === null) {
      throw new RuntimeError(
        `TaskGroup ${this} cannot determine the parent task: use it from a coroutine that a Task runs`,
      );
    }
    this._parentTask = parent;
    this.#entered = true;
    if (this.#cancelOnEnter) this.cancel();
    return this;
  }

  /** Waits for every child, then throws what the group's errors call for. */
  *aexit(error: unknown): Awaitable<boolean> {
    try {
      return yield* this.#exit(error);
    } finally {
      this._parentTask = null;
      this.#errors = [];
      this.#baseError = undefined;
    }
  }

  *#exit(error: unknown): Coro<boolean> {
    this.#exiting = true;
    const failed = error !== undefined;
    const parent = this._parentTask!;
    if (failed && isBaseError(error) && !this.#hasBaseError) this.#setBaseError(error);
    let propagateCancellation: CancelledError | null =
      error instanceof CancelledError ? error : null;
    // The body failed, or the parent is being cancelled: stop the children.
    if (failed && !this.#aborting) this.#abort();

    // The wait can be cancelled again (the parent cancelled repeatedly, or while our own
    // abort is under way), hence the loop.
    let pendingCancellation: CancelledError | null = null;
    while (this.#running > 0) {
      this.#allDone ??= this.#loop!.createFuture<boolean>();
      try {
        yield* this.#allDone;
      } catch (thrown) {
        if (!(thrown instanceof CancelledError)) throw thrown;
        pendingCancellation = thrown;
        if (!this.#aborting) {
          // The parent was cancelled from outside while the children ran on.
          propagateCancellation = thrown;
          this.#abort();
        }
      }
      this.#allDone = null;
    }

    if (this.#hasBaseError) {
      // The base error goes out alone; the other errors would be lost, so report them.
      for (const suppressed of this.#errors) {
        if (suppressed === this.#baseError) continue;
        this.#loop!.callExceptionHandler({
          message:
            "TaskGroup task exception was not propagated because the TaskGroup body is being closed with a KeyboardInterrupt",
          exception: suppressed,
          taskGroup: this,
        });
      }
      throw this.#baseError;
    }

    if (this.#parentCancelRequested) {
      // We cancelled the parent ourselves: withdraw that request. If it was the only one, the
      // CancelledError it caused is ours and stops here.
      if (parent.uncancel() === 0) propagateCancellation = null;
      else propagateCancellation ??= pendingCancellation;
    }

    // A cancellation goes on, unless there are errors: they take priority.
    if (propagateCancellation !== null && this.#errors.length === 0) throw propagateCancellation;

    if (failed && !(error instanceof CancelledError)) this.#errors.push(error);

    if (this.#errors.length > 0) {
      // The parent is being cancelled from outside too: re-request its cancellation so the
      // count stays the same while the ExceptionGroup goes out.
      if (parent.cancelling() > 0) {
        parent.uncancel();
        parent.cancel();
      }
      // The body was closed (an async generator's aclose()) and nothing else failed: let the
      // close go on rather than wrapping it.
      if (this.#errors.length === 1 && error instanceof GeneratorExit) throw error;
      throw new ExceptionGroup("unhandled errors in a TaskGroup", this.#errors);
    }
    // Whatever is left (our own cancellation) is handled.
    return true;
  }

  /** @internal A child finished (its Member ran). */
  _onTaskDone(member: Member): void {
    this.#unlink(member);
    if (this.#allDone !== null && this.#running === 0 && !this.#allDone.done()) {
      this.#allDone.setResult(true);
    }
    const task = member.task;
    // Finished or cancelled children leave nothing to report.
    if (stateOf(task) !== FAILED) return;
    const error = task.exception();
    this.#errors.push(error);
    if (isBaseError(error) && !this.#hasBaseError) this.#setBaseError(error);
    const parent = this._parentTask;
    if (parent === null || parent.done()) {
      this.#loop!.callExceptionHandler({
        message: `Task ${task} has errored out but its parent task ${parent} is already completed`,
        exception: error,
        task,
      });
      return;
    }
    if (!this.#aborting && !this.#parentCancelRequested) {
      // The parent is not being cancelled: cancel it to stop whatever the body is waiting on,
      // and note it so aexit withdraws this request (the block then ends with the group's
      // errors, and the code after it runs normally).
      this.#abort();
      this.#parentCancelRequested = true;
      parent.cancel();
    }
  }

  toString(): string {
    const parts = ["TaskGroup"];
    if (this.#running > 0) parts.push(`tasks=${this.#running}`);
    if (this.#errors.length > 0) parts.push(`errors=${this.#errors.length}`);
    if (this.#aborting) parts.push("cancelling");
    else if (this.#entered) parts.push("entered");
    return `<${parts.join(" ")}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** The group's counts, for debugging a hang. */
  statistics(): { tasks: number; errors: number; cancelling: boolean } {
    return { tasks: this.#running, errors: this.#errors.length, cancelling: this.#aborting };
  }

  #setBaseError(error: unknown): void {
    this.#baseError = error;
    this.#hasBaseError = true;
  }

  #abort(): void {
    this.#aborting = true;
    for (let member = this.#first; member !== null; member = member.next) {
      if (!member.task.done()) member.task.cancel();
    }
  }

  #link(member: Member): void {
    member.prev = this.#last;
    if (this.#last === null) this.#first = member;
    else this.#last.next = member;
    this.#last = member;
    this.#running++;
  }

  #unlink(member: Member): void {
    const { prev, next } = member;
    if (prev === null) this.#first = next;
    else prev.next = next;
    if (next === null) this.#last = prev;
    else next.prev = prev;
    member.prev = member.next = null;
    this.#running--;
  }
}

/** A coroutine refused by createTask is closed, so it never runs (Python closes it too). */
function closeCoroutine(coro: unknown): void {
  if (isCoroutine(coro)) coro.return(undefined);
}
