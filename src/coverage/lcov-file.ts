// lcov tracefiles on disk: read in 1 MiB pieces (through gunzip for .gz) into an LcovReader, never as one
// string, so that a tracefile of hundreds of MB costs its tables, not its text.
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { describeError } from "./describe-error.js";
import { LcovReader, type LcovReadResult } from "./lcov-reader.js";

const READ_CHUNK_BYTES = 1 << 20;

/** Reads an lcov file (gzipped if its name ends in .gz) in 1 MiB pieces, never as one string. */
export async function readLcovFile(path: string): Promise<LcovReadResult> {
  return (await readIntoReader(path)).end();
}

/** A reader fed with a whole file, piece by piece. Rejects with the path and the reason. */
export async function readIntoReader(path: string): Promise<LcovReader> {
  const reader = new LcovReader(path);
  const sink = async (pieces: AsyncIterable<Buffer>): Promise<void> => {
    for await (const piece of pieces) reader.push(piece);
  };
  const file = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  try {
    if (path.endsWith(".gz")) await pipeline(file, createGunzip({ chunkSize: READ_CHUNK_BYTES }), sink);
    else await pipeline(file, sink);
  } catch (error) {
    throw new Error(`cannot read lcov file ${path}: ${describeError(error)}`, { cause: error });
  }
  return reader;
}
