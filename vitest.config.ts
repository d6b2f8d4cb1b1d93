import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Each run gets its own TMPDIR and reports what a test left there; scratchDir() folders go per file.
    globalSetup: ["test/setup/tmpdir.ts"],
    setupFiles: ["test/setup/scratch.ts"],
    reporters: ["default"],
    // GitHub's workflow parser imports its JSON schemas without import attributes, which Node 20
    // refuses; letting vite transform it makes those imports work.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
