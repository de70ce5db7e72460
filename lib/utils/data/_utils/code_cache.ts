/**
 * V8 code cache for torch-node's own compiled modules in DataLoader worker threads.
 *
 * Most of a worker's start-up is V8 parsing and compiling torch-node's JavaScript (the addon itself
 * is already loaded in the process). The first worker a process starts compiles as usual and,
 * once torch-node is loaded, hands V8's code cache of those files to the main thread; later
 * workers (the next epoch's, another loader's) compile the same files from that cache. Only files
 * of this package's compiled tree are concerned, and only their compilation: each module still
 * runs its code afresh in each worker. V8 checks each entry against the source and its own
 * version and flags, and compiles normally where an entry does not fit (`cachedDataRejected`).
 */
import * as path from 'path';
import * as vm from 'vm';
import { MessagePort, receiveMessageOnPort } from 'worker_threads';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Module = require('module');

/** What a worker gets: the cache to compile from, or a port to send one back on. */
export interface CodeCacheStart {
  cache?: { files: string[]; offsets: number[]; buf: SharedArrayBuffer };
  reply?: MessagePort;
}

// ---- main thread

let shared: CodeCacheStart['cache'] | undefined;
let pending: MessagePort | null = null;

/**
 * The code-cache part of a new worker's start data, and the ports to transfer with it. One worker
 * at a time is asked to produce the cache, until one has.
 */
export function codeCacheStart(): { start: CodeCacheStart; transfer: MessagePort[] } {
  if (shared === undefined && pending !== null) {
    const m = receiveMessageOnPort(pending);
    if (m !== undefined) {
      adopt(m.message);
      pending.close();
      pending = null;
    }
  }
  if (shared !== undefined) return { start: { cache: shared }, transfer: [] };
  if (pending !== null) return { start: {}, transfer: [] };
  const { MessageChannel } = require('worker_threads');
  const ch = new MessageChannel();
  const port: MessagePort = ch.port1;
  pending = port;
  const take = (msg: any) => {
    if (shared === undefined) adopt(msg);
    port.close();
  };
  port.once('message', take);
  // the reply may still be queued when the port closes; a worker that ended without replying
  // leaves none, and the next pool asks again
  port.once('close', () => {
    const m = shared === undefined ? receiveMessageOnPort(port) : undefined;
    if (m !== undefined) adopt(m.message);
    if (pending === port) pending = null;
  });
  port.unref();
  return { start: { reply: ch.port2 }, transfer: [ch.port2] };
}

/** @internal for tests: how many files the process's cache holds (0 before a worker made one). */
export function _code_cache_files(): number {
  if (shared === undefined && pending !== null) {
    const m = receiveMessageOnPort(pending);
    if (m !== undefined) adopt(m.message);
  }
  return shared === undefined ? 0 : shared.files.length;
}

function adopt(msg: { files: string[]; offsets: number[]; bytes: ArrayBuffer } | null): void {
  if (msg === null || !Array.isArray(msg.files)) return;
  const buf = new SharedArrayBuffer(msg.bytes.byteLength);
  new Uint8Array(buf).set(new Uint8Array(msg.bytes));
  shared = { files: msg.files, offsets: msg.offsets, buf };
}

// ---- worker thread

const ROOT = path.join(__dirname, '..', '..', '..') + path.sep;


/**
 * Installs the compile hook for this package's files before torch-node loads in a worker. Returns
 * a function to call once torch-node is loaded: it sends the cache back where one was asked for.
 */
export function installCodeCache(start: CodeCacheStart | undefined): () => void {
  if (start === undefined || (start.cache === undefined && start.reply === undefined)) {
    start?.reply?.close();
    return () => {};
  }
  const given = new Map<string, Buffer>();
  if (start.cache !== undefined) {
    const { files, offsets, buf } = start.cache;
    for (let i = 0; i < files.length; i++) given.set(files[i], Buffer.from(buf, offsets[i], offsets[i + 1] - offsets[i]));
  }
  const scripts = new Map<string, vm.Script>();
  const orig = Module.prototype._compile;
  Module.prototype._compile = function (content: string, filename: string) {
    // A vm.Script's code has no loader for import() (without an experimental flag): a file that
    // may import dynamically (transfer.ts imports ES-module datasets) compiles the ordinary way.
    if (!filename.startsWith(ROOT) || !filename.endsWith('.js') || content.includes('import(')) return orig.call(this, content, filename);
    const cachedData = given.get(filename);
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (start.reply !== undefined) scripts.set(filename, script);
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  return () => {
    Module.prototype._compile = orig;
    const reply = start.reply;
    if (reply === undefined) return;
    const files: string[] = [];
    const parts: Buffer[] = [];
    for (const [f, s] of scripts) {
      files.push(f);
      parts.push(s.createCachedData());
    }
    const offsets = [0];
    for (const p of parts) offsets.push(offsets[offsets.length - 1] + p.length);
    const all = Buffer.concat(parts);
    const bytes = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
    reply.postMessage({ files, offsets, bytes }, [bytes]);
    reply.close();
  };
}

// The `require` a CommonJS module gets (Node's makeRequireFunction).
function requireFor(mod: any): any {
  const req: any = (id: string) => mod.require(id);
  req.resolve = (request: string, options?: any) => Module._resolveFilename(request, mod, false, options);
  req.resolve.paths = (request: string) => Module._resolveLookupPaths(request, mod);
  req.main = process.mainModule;
  req.extensions = Module._extensions;
  req.cache = Module._cache;
  return req;
}
