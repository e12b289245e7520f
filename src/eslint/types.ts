/**
 * What the lint rules know about asyncio-ts types, read from the type checker: an awaitable is
 * an iterable whose iterator yields the `Suspend` brand (src/core/coroutines.ts), so the rules
 * find coroutines, Futures, Tasks and `sleep()` by type, whatever they are named.
 */

import type { ParserServicesWithTypeInformation, TSESTree } from "@typescript-eslint/utils";
import type ts from "typescript";

/** The start of the brand's property name: what `yield*` produces and nothing else has. */
const SUSPEND_BRAND_PREFIX = "write yield* here, not yield";

/** Type questions about ESTree nodes, answered by one program's checker. */
export class AsyncioTypes {
  readonly #services: ParserServicesWithTypeInformation;
  readonly #checker: ts.TypeChecker;

  constructor(services: ParserServicesWithTypeInformation) {
    this.#services = services;
    this.#checker = services.program.getTypeChecker();
  }

  typeOf(node: TSESTree.Node): ts.Type {
    return this.#services.getTypeAtLocation(node);
  }

  /** The type the context expects at `node` (a parameter's type for an argument). */
  contextualTypeOf(node: TSESTree.Expression): ts.Type | undefined {
    const tsNode = this.#services.esTreeNodeToTSNodeMap.get(node) as ts.Expression;
    return this.#checker.getContextualType(tsNode);
  }

  /** A coroutine, Future, Task, `sleep()`… anything `yield*` can wait on (any union member). */
  isAwaitable(type: ts.Type): boolean {
    return unionMembers(type).some((member) => this.#isAwaitableMember(member));
  }

  /**
   * The element type of an array or tuple type, or null: where a call's overloads do not
   * match, the checker gives an argument its rest parameter's array type as context.
   */
  elementTypeOf(type: ts.Type): ts.Type | null {
    return this.#checker.isArrayType(type) || this.#checker.isTupleType(type)
      ? (type.getNumberIndexType() ?? null)
      : null;
  }

  /** A Promise or other thenable (any union member). */
  isThenable(type: ts.Type): boolean {
    return unionMembers(type).some((member) => {
      const then = member.getProperty("then");
      return (
        then !== undefined && this.#checker.getTypeOfSymbol(then).getCallSignatures().length > 0
      );
    });
  }

  /**
   * An awaitable that does nothing until awaited: a coroutine object or `sleep()`, unlike a
   * Future or Task (thenable, and already running or settled by others).
   */
  isLazyAwaitable(type: ts.Type): boolean {
    return this.isAwaitable(type) && !this.isThenable(type);
  }

  /** A function whose call gives an awaitable: a coroutine function (`function*`). */
  isCoroutineFunction(type: ts.Type): boolean {
    const signatures = type.getCallSignatures();
    return (
      signatures.length > 0 &&
      signatures.every((signature) => this.isAwaitable(signature.getReturnType()))
    );
  }

  /** True when every call signature of `type` can be called with no argument. */
  takesNoArguments(type: ts.Type): boolean {
    return type
      .getCallSignatures()
      .every((signature) => signature.getParameters().every((parameter) => isOptional(parameter)));
  }

  /** Does the generator function `node` make coroutines (its calls are awaitable)? */
  isCoroutineGenerator(node: TSESTree.FunctionLike): boolean {
    if (!("generator" in node) || !node.generator) return false;
    const tsNode = this.#services.esTreeNodeToTSNodeMap.get(node) as ts.SignatureDeclaration;
    const signature = this.#checker.getSignatureFromDeclaration(tsNode);
    return signature !== undefined && this.isAwaitable(signature.getReturnType());
  }

  #isAwaitableMember(type: ts.Type): boolean {
    if (this.#yieldsBrand(type)) return true;
    // An iterable that hands out a separate iterator (a primitive's acquire(), Awaitable<T>).
    const iterator = type
      .getProperties()
      .find((property) => property.getName().startsWith("__@iterator"));
    if (iterator === undefined) return false;
    return this.#checker
      .getTypeOfSymbol(iterator)
      .getCallSignatures()
      .some((signature) => this.#yieldsBrand(signature.getReturnType()));
  }

  /** Does the iterator `type`'s `next()` give the brand as a value? */
  #yieldsBrand(type: ts.Type): boolean {
    const next = type.getProperty("next");
    if (next === undefined) return false;
    for (const signature of this.#checker.getTypeOfSymbol(next).getCallSignatures()) {
      for (const result of unionMembers(signature.getReturnType())) {
        const value = result.getProperty("value");
        if (value === undefined) continue;
        const valueTypes = unionMembers(this.#checker.getTypeOfSymbol(value));
        if (valueTypes.some(hasSuspendBrand)) return true;
      }
    }
    return false;
  }
}

function unionMembers(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

function hasSuspendBrand(type: ts.Type): boolean {
  return type
    .getProperties()
    .some((property) => property.getName().startsWith(SUSPEND_BRAND_PREFIX));
}

function isOptional(parameter: ts.Symbol): boolean {
  const declaration = parameter.valueDeclaration;
  if (declaration === undefined || !("questionToken" in declaration)) return false;
  const node = declaration as ts.ParameterDeclaration;
  return (
    node.questionToken !== undefined ||
    node.initializer !== undefined ||
    node.dotDotDotToken !== undefined
  );
}
