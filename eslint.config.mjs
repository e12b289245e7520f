// ESLint runs only the asyncio-ts rules (npm run lint:coroutines), on examples/ and
// conformance/, loading the plugin from src under tsx; Biome stays the project's linter.
import tseslint from "typescript-eslint";
import asyncio from "./src/eslint/index.ts";

export default [
  { files: ["examples/**/*.ts", "conformance/**/*.ts"] },
  tseslint.configs.base,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  asyncio.configs.recommended,
];
