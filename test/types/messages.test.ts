/**
 * What tsc prints for a missing star: the Suspend brand's property name is the message, so the
 * compiler's own error tells the fix. Compiles a small program against src with tsc's API.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const library = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
const probe = fileURLToPath(new URL("./missing-star.probe.ts", import.meta.url));

function diagnosticsOf(source: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    types: ["node"],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === probe ? source : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === probe || fileExists(name);
  const program = ts.createProgram([probe], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(probe))
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
}

it("a missing star is a compile error whose text says to write yield*", () => {
  const messages = diagnosticsOf(`
    import * as asyncio from ${JSON.stringify(library)};
    export function* missingStar(future: asyncio.Future<number>): asyncio.Coro<void> {
      yield future;
    }
    export function* yieldedPromise(): asyncio.Coro<void> {
      yield Promise.resolve(1);
    }
  `);
  assert.equal(messages.length, 2, messages.join("\n"));
  assert.match(
    messages[0]!,
    /^Property '"write yield\* here, not yield \(a Promise: yield\* asyncio\.fromPromise\(promise\)\)"' is missing in type 'Future<number>'/,
  );
  assert.match(
    messages[1]!,
    /'"write yield\* here, not yield .*"' is missing in type 'Promise<number>'/,
  );
});
