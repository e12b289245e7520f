/**
 * The plugin's shape as ESLint loads it: the package's `asyncio-ts/eslint` subpath, every rule
 * in `configs.recommended` as an error under the plugin's own name, and a flat config ESLint
 * accepts (linting a file with it reports a dropped coroutine).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import plugin, { rules } from "../../src/eslint/index.ts";

it("the package exports the plugin as asyncio-ts/eslint", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  assert.deepEqual(pkg.exports["./eslint"], {
    types: "./dist/eslint/index.d.ts",
    default: "./dist/eslint/index.js",
  });
  for (const peer of ["eslint", "typescript-eslint", "@typescript-eslint/utils", "typescript"]) {
    assert.deepEqual(pkg.peerDependenciesMeta[peer], { optional: true }, peer);
  }
});

it("configs.recommended turns every rule on as an error", () => {
  const recommended = plugin.configs.recommended;
  assert.equal(recommended.plugins?.["asyncio-ts"], plugin);
  assert.deepEqual(
    Object.keys(recommended.rules ?? {}).sort(),
    Object.keys(rules)
      .map((name) => `asyncio-ts/${name}`)
      .sort(),
  );
  assert.ok(Object.values(recommended.rules ?? {}).every((level) => level === "error"));
});

it("the two-line set-up lints a file", () => {
  const tsconfigRootDir = fileURLToPath(new URL("./fixtures", import.meta.url));
  const linter = new Linter({ configType: "flat" });
  const messages = linter.verify(
    'import * as asyncio from "../../../src/index.ts";\nfunction* save(): asyncio.Coro<void> {}\nfunction* main(): asyncio.Coro<void> { save(); }\n',
    [
      { files: ["**/*.ts"] },
      tseslint.configs.base,
      {
        languageOptions: {
          // CI=true would switch typescript-eslint to its single-run mode, which reads file.ts
          // from disk instead of the text linted here.
          parserOptions: {
            project: "./tsconfig.json",
            tsconfigRootDir,
            disallowAutomaticSingleRunInference: true,
          },
        },
      },
      plugin.configs.recommended,
    ] as Linter.Config[],
    `${tsconfigRootDir}/file.ts`,
  );
  assert.deepEqual(
    messages.map((message) => [message.ruleId, message.line, message.message]),
    [
      [
        "asyncio-ts/no-floating-coroutine",
        3,
        "This coroutine is created and dropped, so it never runs: write yield* save() to await it, or asyncio.createTask(save()) to run it concurrently.",
      ],
    ],
  );
});
