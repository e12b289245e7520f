/**
 * typescript-eslint's RuleTester wired to node:test, with type information from the fixture
 * project (test/eslint/fixtures): each case is linted as fixtures/file.ts, and imports the
 * library from src through `LIBRARY`.
 */

import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { RuleTester } from "@typescript-eslint/rule-tester";

RuleTester.afterAll = after;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** The import line every case starts with. */
export const LIBRARY = 'import * as asyncio from "../../../src/index.ts";\n';

export function ruleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        project: "./tsconfig.json",
        tsconfigRootDir: fileURLToPath(new URL("./fixtures", import.meta.url)),
      },
    },
  });
}
