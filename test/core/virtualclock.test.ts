/**
 * The virtual clock's decisions on its own, as the loop asks for them: Node gets a turn before
 * every jump, pending foreign work holds time until it stalls, and time never runs backwards.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import {
  JUMPED,
  LET_NODE_RUN,
  VirtualClock,
  WAIT_FOR_FOREIGN_WORK,
} from "../../src/core/virtualclock.ts";

it("lets Node run once after work ran, then jumps to the timer", () => {
  const clock = new VirtualClock();
  assert.deepEqual(
    [clock.idle(3, 0, 5), clock.idle(0, 0, 5), clock.now, clock.idle(0, 0, 7)],
    [LET_NODE_RUN, JUMPED, 5, LET_NODE_RUN],
  );
  assert.equal(clock.idle(0, 0, 7), JUMPED);
  assert.equal(clock.now, 7);
});

it("waits for pending foreign work until it stalls, then jumps as usual", () => {
  const clock = new VirtualClock();
  assert.equal(clock.idle(0, 1, 2), WAIT_FOR_FOREIGN_WORK);
  assert.equal(clock.idle(0, 1, 2), WAIT_FOR_FOREIGN_WORK);
  clock.foreignStalled();
  assert.deepEqual([clock.idle(0, 1, 2), clock.idle(0, 1, 2)], [LET_NODE_RUN, JUMPED]);
  assert.equal(clock.now, 2);
  assert.equal(clock.idle(0, 1, 3), WAIT_FOR_FOREIGN_WORK, "a jump ends the stall");
});

it("never moves time backwards for a timer already due", () => {
  const clock = new VirtualClock();
  clock.now = 10;
  assert.deepEqual(
    [clock.idle(0, 0, 4), clock.idle(0, 0, 4), clock.now],
    [LET_NODE_RUN, JUMPED, 10],
  );
});
