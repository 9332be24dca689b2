import { createReadStream } from "node:fs";
import { access, constants, stat } from "node:fs/promises";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** Name meaning standard input. */
export const stdinName = "-";

const gzipMagic = [0x1f, 0x8b];
const chunkSize = 1 << 20;

/**
 * Reads a file (or stdin for `-`) as byte chunks, gunzipping when the data starts with the gzip
 * magic bytes, whatever the file is called. Concatenated gzip members are read through.
 */
export async function* readInput(name: string): AsyncGenerator<Buffer> {
  const raw: Readable = name === stdinName ? process.stdin : createReadStream(name, { highWaterMark: chunkSize });
  const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  while (head.length < gzipMagic.length) {
    const next = await chunks.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  const isGzip = head[0] === gzipMagic[0] && head[1] === gzipMagic[1];
  const replayed = Readable.from(prepend(head, chunks), { objectMode: false });
  yield* isGzip ? pipeline(replayed, createGunzip({ chunkSize }), () => {}) : replayed;
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** Throws one error naming every input that cannot be read as a file (stdin always can). */
export async function checkInputs(names: readonly string[]): Promise<void> {
  const problems = await Promise.all(
    names.map(async (name) => {
      if (name === stdinName) return undefined;
      try {
        if ((await stat(name)).isDirectory()) return `${name}: is a directory`;
        await access(name, constants.R_OK);
        return undefined;
      } catch (error) {
        const { code, message } = error as NodeJS.ErrnoException;
        return `${name}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : message}`;
      }
    }),
  );
  const unreadable = problems.filter((problem) => problem !== undefined);
  if (unreadable.length > 0) {
    throw new Error(
      `nothing shipped: cannot read ${unreadable.length} of ${names.length} inputs: ${unreadable.join("; ")}`,
    );
  }
}
