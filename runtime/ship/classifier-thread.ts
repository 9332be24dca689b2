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
      const data: Uint8Array = reply.batch.data;
      reply.batch.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      this.waiting.get(reply.id)?.resolve(reply.batch);
      this.waiting.delete(reply.id);
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`line classifier thread exited with code ${code}`)));
  }

  /** Classifies a chunk of input `input`. The chunk is copied; the caller may reuse it. */
  classify(input: number, chunk: Buffer): Promise<ClassifiedBatch> {
    const copy = new Uint8Array(chunk.length);
    copy.set(chunk);
    return this.send({ id: this.nextId++, input, chunk: copy }, [copy.buffer]);
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
