/** Compile-time type equality for type tests: `const ok: Equal<A, B> = true`. */
export type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
