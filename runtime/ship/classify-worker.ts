// Worker thread entry: classifies input chunks off the main thread, which only produces. See
// classifier-thread.ts for the protocol.
import { parentPort, workerData } from "node:worker_threads";
import { LineClassifier, type ClassifiedBatch, type ClassifierOptions } from "./classify";
import type { ClassifyRequest, ClassifyReply } from "./classifier-thread";

const options = workerData as ClassifierOptions;
const inputs = new Map<number, LineClassifier>();

parentPort!.on("message", (request: ClassifyRequest) => {
  let classifier = inputs.get(request.input);
  if (!classifier) inputs.set(request.input, (classifier = new LineClassifier(options)));
  let batch: ClassifiedBatch;
  if (request.chunk) {
    batch = classifier.push(Buffer.from(request.chunk.buffer, request.chunk.byteOffset, request.chunk.byteLength));
  } else {
    batch = classifier.end(request.cutShort);
    inputs.delete(request.input);
  }
  const reply: ClassifyReply = { id: request.id, batch };
  parentPort!.postMessage(reply, [
    batch.head.buffer,
    batch.data.buffer,
    batch.bounds.buffer,
    batch.kinds.buffer,
    batch.keyIds.buffer,
  ] as ArrayBuffer[]);
});
