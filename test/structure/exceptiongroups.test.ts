import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import * as asyncio from "../../src/index.ts";

const { ExceptionGroup } = asyncio;

function names(group: asyncio.ExceptionGroup | null): unknown {
  if (group === null) return null;
  return group.exceptions.map((error) =>
    error instanceof ExceptionGroup ? { [error.message]: names(error) } : (error as Error).message,
  );
}

describe("ExceptionGroup", () => {
  it("is an AggregateError with Python's message, exceptions and str()", () => {
    const a = new TypeError("a");
    const b = new RangeError("b");
    const group = new ExceptionGroup("two failed", [a, b]);
    assert.ok(group instanceof AggregateError);
    assert.ok(group instanceof Error);
    assert.equal(group.name, "ExceptionGroup");
    assert.equal(group.message, "two failed");
    assert.deepEqual(group.exceptions, [a, b]);
    assert.equal(group.errors, group.exceptions);
    assert.ok(Object.isFrozen(group.exceptions));
    assert.equal(String(group), "ExceptionGroup: two failed (2 sub-exceptions)");
    assert.equal(String(new ExceptionGroup("one", [a])), "ExceptionGroup: one (1 sub-exception)");
    assert.match(group.stack ?? "", /^ExceptionGroup: two failed/);
    assert.equal(inspect(group), 'ExceptionGroup("two failed", [TypeError("a"), RangeError("b")])');
  });

  it("takes any iterable and keeps thrown non-errors", () => {
    const group = new ExceptionGroup("mixed", new Set<unknown>(["text", 7]));
    assert.deepEqual(group.exceptions, ["text", 7]);
  });

  it("rejects a non-string message, a non-iterable and an empty list", () => {
    assert.throws(() => new ExceptionGroup(1 as never, [new Error()]), /message must be a string/);
    assert.throws(() => new ExceptionGroup("m", new Error() as never), /must be an array/);
    assert.throws(() => new ExceptionGroup("m", []), asyncio.ValueError);
    assert.throws(() => new ExceptionGroup("m", []), /must not be empty/);
  });

  const nested = () =>
    new ExceptionGroup("x", [
      new RangeError("r1"),
      new ExceptionGroup("y", [new TypeError("t2"), new RangeError("r3")]),
    ]);

  it("split by class keeps the nesting on both sides", () => {
    const [matched, rest] = nested().split(RangeError);
    assert.deepEqual(names(matched), ["r1", { y: ["r3"] }]);
    assert.deepEqual(names(rest), [{ y: ["t2"] }]);
    assert.equal(matched!.message, "x");
  });

  it("split by a list of classes matches any of them", () => {
    const [matched, rest] = nested().split([TypeError, SyntaxError]);
    assert.deepEqual(names(matched), [{ y: ["t2"] }]);
    assert.deepEqual(names(rest), ["r1", { y: ["r3"] }]);
  });

  it("split returns the group itself when it matches as a whole, null parts when empty", () => {
    const group = nested();
    const [all, none] = group.split(Error);
    assert.equal(all, group);
    assert.equal(none, null);
    const [nothing, everything] = group.split(SyntaxError);
    assert.equal(nothing, null);
    assert.notEqual(everything, group);
    assert.deepEqual(names(everything), names(group));
  });

  it("a predicate sees the group, then each member in order, nested groups first", () => {
    const seen: string[] = [];
    nested().split((error) => {
      seen.push((error as Error).message);
      return false;
    });
    assert.deepEqual(seen, ["x", "r1", "y", "t2", "r3"]);
  });

  it("a predicate may select whole nested groups", () => {
    const [matched, rest] = nested().split(
      (error) => error instanceof ExceptionGroup && error.message === "y",
    );
    assert.deepEqual(names(matched), [{ y: ["t2", "r3"] }]);
    assert.deepEqual(names(rest), ["r1"]);
  });

  it("subgroup is the matching half", () => {
    assert.deepEqual(names(nested().subgroup(TypeError)), [{ y: ["t2"] }]);
    assert.equal(nested().subgroup(SyntaxError), null);
  });

  it("derived groups carry the original cause and stack; derive() picks the class", () => {
    class MyGroup extends ExceptionGroup {
      override derive(exceptions: Iterable<unknown>): MyGroup {
        return new MyGroup(`${this.message}!`, exceptions);
      }
    }
    const cause = new Error("root");
    const group = new MyGroup("mine", [new TypeError("t"), new RangeError("r")]);
    group.cause = cause;
    const [matched, rest] = group.split(TypeError);
    assert.ok(matched instanceof MyGroup);
    assert.ok(rest instanceof MyGroup);
    assert.equal(matched.message, "mine!");
    assert.equal(matched.cause, cause);
    assert.equal(matched.stack, group.stack);
  });

  it("a derive() that returns something else is a TypeError", () => {
    class Broken extends ExceptionGroup {
      override derive(): asyncio.ExceptionGroup {
        return {} as asyncio.ExceptionGroup;
      }
    }
    const broken = new Broken("b", [new TypeError("t"), new RangeError("r")]);
    assert.throws(() => broken.split(TypeError), /must return an ExceptionGroup/);
  });

  it("rejects a matcher that is neither a class, a list of classes nor a predicate", () => {
    assert.throws(() => nested().split("TypeError" as never), /expects an error class/);
    assert.throws(() => nested().split([TypeError, 3] as never), /error classes in its list/);
  });
});
