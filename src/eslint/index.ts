/**
 * `asyncio-ts/eslint`: type-aware lint rules for the mistakes the compiler and the run time
 * cannot catch in generator coroutines, built on typescript-eslint. The default export is the
 * plugin; `configs.recommended` is a flat config that turns every rule on as an error.
 *
 * @example
 * ```js
 * // eslint.config.mjs
 * import tseslint from "typescript-eslint";
 * import asyncio from "asyncio-ts/eslint";
 *
 * export default [
 *   tseslint.configs.base,
 *   { languageOptions: { parserOptions: { projectService: true } } },
 *   asyncio.configs.recommended,
 * ];
 * ```
 */

import type { TSESLint } from "@typescript-eslint/utils";
import { noCoroutineFunctionAsCoroutine } from "./rules/nocoroutinefunctionascoroutine.ts";
import { noFloatingCoroutine } from "./rules/nofloatingcoroutine.ts";
import { noSwallowedCancellation } from "./rules/noswallowedcancellation.ts";
import { noYieldStarPromise } from "./rules/noyieldstarpromise.ts";
import { requireYieldStar } from "./rules/requireyieldstar.ts";

/**
 * The plugin's rules, by name, for a config that picks some of them.
 *
 * @example
 * ```js
 * import asyncio from "asyncio-ts/eslint";
 * export default [{ plugins: { "asyncio-ts": asyncio }, rules: { "asyncio-ts/no-floating-coroutine": "error" } }];
 * ```
 */
export const rules = {
  "no-floating-coroutine": noFloatingCoroutine,
  "require-yield-star": requireYieldStar,
  "no-yield-star-promise": noYieldStarPromise,
  "no-coroutine-function-as-coroutine": noCoroutineFunctionAsCoroutine,
  "no-swallowed-cancellation": noSwallowedCancellation,
};

/**
 * The plugin as ESLint loads it, with its flat `configs.recommended`.
 *
 * @example
 * ```js
 * export default [tseslint.configs.base, asyncio.configs.recommended];
 * ```
 */
export interface AsyncioPlugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config };
}

const plugin: AsyncioPlugin = {
  meta: { name: "asyncio-ts", version: "0.1.0" },
  rules,
  configs: { recommended: {} },
};

plugin.configs.recommended = {
  name: "asyncio-ts/recommended",
  plugins: { "asyncio-ts": plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: Object.fromEntries(
    Object.keys(rules).map((name) => [`asyncio-ts/${name}`, "error"]),
  ) as TSESLint.FlatConfig.Rules,
};

export default plugin;
