// Per test file (vitest setupFiles): the folders made with scratchDir() go when the file's tests are done.
import { afterAll } from "vitest";
import { removeScratchDirs } from "../harness/scratch.js";

afterAll(removeScratchDirs);
