/// <reference lib="webworker" />
import {
  PROTOCOL_VERSION,
  type RequestEnvelope,
  type ResponseEnvelope,
} from '../protocol/messages';
import { createHandler, RequestError } from './handler';

// The worker entry: the only file that exposes the engine to the page (DESIGN.md §2).
// Requests are answered one at a time, in order. A RequestError is an answer ("no such
// node"); anything else thrown is a crash: it escapes to the worker's error event so the
// page's bridge restarts the worker.
declare const self: DedicatedWorkerGlobalScope;

const handler = createHandler();
const post = (message: ResponseEnvelope) => self.postMessage(message);

self.addEventListener('message', (event: MessageEvent<RequestEnvelope>) => {
  const { v, id, request } = event.data;
  if (v !== PROTOCOL_VERSION) {
    post({
      v: PROTOCOL_VERSION,
      id,
      ok: false,
      error: `protocol v${v} is not v${PROTOCOL_VERSION}`,
    });
    return;
  }
  try {
    post({ v: PROTOCOL_VERSION, id, ok: true, result: handler.handle(request) });
  } catch (e) {
    if (e instanceof RequestError) post({ v: PROTOCOL_VERSION, id, ok: false, error: e.message });
    else throw e;
  }
});

post({ v: PROTOCOL_VERSION, id: 0, ready: true });
