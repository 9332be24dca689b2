import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { ClassifiedBatch, ClassifierOptions } from "./classify";

/** Main thread → worker: a chunk of an input, or the input's end. */
export interface ClassifyRequest {
  id: number;
  /** Which input (each has its own line state in the worker). */
  input: number;
  chunk?: Uint8Array;
  /** With no chunk: why the input ended early, if it did. */
  cutShort?: string;
}

export interface ClassifyReply {
  id: number;
  batch: ClassifiedBatch;
}

/**
 * Code that starts the worker. Run from TypeScript sources (tsx), the worker registers tsx's
 * CommonJS hook itself: Node 20 does not apply the parent's `--import` loader to a worker's entry.
 */
function workerEntry(): string {
  const typescript = __filename.endsWith(".ts");
  const entry = join(__dirname, `classify-worker.${typescript ? "ts" : "js"}`);
  return `${typescript ? 'require("tsx/cjs/api").register();' : ""} require(${JSON.stringify(entry)});`;
}

/**
 * Line classification (UTF-8 check, JSON.parse, key lookup) on a worker thread, so that it runs on
 * the second core while the main thread produces. Requests are answered in order.
 */
export class ClassifierThread {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (batch: ClassifiedBatch) => void; reject: (error: Error) => void }
  >();
  private failure?: Error;

  constructor(options: ClassifierOptions) {
    this.worker = new Worker(workerEntry(), { eval: true, workerData: options });
    this.worker.on("message", (reply: ClassifyReply) => {
      // A Buffer arrives as a plain Uint8Array.
      reply.batch.head = asBuffer(reply.batch.head);
      reply.batch.data = asBuffer(reply.batch.data);
      this.waiting.get(reply.id)?.resolve(reply.batch);
      this.waiting.delete(reply.id);
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`line classifier thread exited with code ${code}`)));
  }

  /**
   * Classifies a chunk of input `input`. A chunk that is the whole of its memory (as file reads
   * give them) is moved to the worker, not copied: the caller must not touch it again. A chunk
   * that shares its memory (a slice of a larger buffer) is copied.
   */
  classify(input: number, chunk: Buffer): Promise<ClassifiedBatch> {
    const owned = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
    const moved = owned ? chunk : new Uint8Array(chunk);
    return this.send({ id: this.nextId++, input, chunk: moved }, [moved.buffer as ArrayBuffer]);
  }

  /** The input's last line, if it did not end with a newline. */
  end(input: number, cutShort?: string): Promise<ClassifiedBatch> {
    return this.send({ id: this.nextId++, input, cutShort }, []);
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }

  private send(request: ClassifyRequest, transfer: ArrayBuffer[]): Promise<ClassifiedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      this.worker.postMessage(request, transfer);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(this.failure);
    this.waiting.clear();
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
