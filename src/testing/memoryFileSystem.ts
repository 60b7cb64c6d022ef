/**
 * An in-memory file system behind the DOM's own FileSystemDirectoryHandle / FileSystemFileHandle
 * interfaces (test support, not shipped), for code that uses the origin private file system or
 * File System Access handles, which Node does not have.
 *
 * It behaves as Chromium does where callers can tell: NotFoundError / TypeMismatchError /
 * InvalidModificationError / QuotaExceededError as DOMExceptions; createWritable() writes to a
 * swap buffer that replaces the file only on close() (abort leaves the file as it was), and the
 * swap buffer counts against the volume's quota while it is written; move(name) renames and
 * replaces; permissions are per entry, a grant on a folder covers everything in it, and a handle
 * already granted answers requestPermission without prompting.
 *
 * IndexedDB keeps handles by structured clone, which in Node cannot clone objects with methods:
 * `installHandleCloning()` teaches the global structuredClone (which fake-indexeddb calls) to
 * clone a handle as the browser does, into a new handle object for the same entry.
 */

type Node = DirNode | FileNode;

let nextNodeId = 1;
/** Every entry ever made, by id, so a cloned handle finds its entry again. */
const entries = new Map<number, { readonly volume: MemoryVolume; readonly node: Node }>();

class DirNode {
  readonly kind = 'directory';
  readonly id = nextNodeId++;
  readonly children = new Map<string, Node>();
  constructor(
    public name: string,
    public parent: DirNode | null,
  ) {}
}

class FileNode {
  readonly kind = 'file';
  readonly id = nextNodeId++;
  data = new Uint8Array(0);
  lastModified = Date.now();
  constructor(
    public name: string,
    public parent: DirNode | null,
  ) {}
}

type Permission = 'granted' | 'denied' | 'prompt';
type Method = 'getDirectoryHandle' | 'getFileHandle' | 'entries' | 'getFile' | 'queryPermission' | 'requestPermission' | 'removeEntry' | 'createWritable';

/** A disk: its tree, its quota, its permissions and a count of the calls made on its handles. */
export class MemoryVolume {
  /** Bytes the volume holds at most (committed files plus files being written). */
  quotaBytes = Number.POSITIVE_INFINITY;
  /** The answer the user gives to the next permission prompts. */
  promptAnswer: Permission = 'granted';
  /** How many permission prompts were shown. */
  prompts = 0;
  readonly calls = new Map<Method, number>();
  readonly #rootNode: DirNode;
  /** Permission of entries granted or refused explicitly; others have `#default`. */
  readonly #permissions = new Map<Node, Permission>();
  #default: Permission = 'granted';
  /** Swap buffers of writables not yet closed. */
  readonly #pending = new Set<{ bytes: Uint8Array }>();

  constructor(rootName = '') {
    this.#rootNode = this.register(new DirNode(rootName, null));
  }

  root(): MemoryDirectoryHandle {
    return new MemoryDirectoryHandle(this, this.#rootNode);
  }

  /** As after a reload: every entry asks for permission again. */
  revokeAll(): void {
    this.#default = 'prompt';
    this.#permissions.clear();
  }

  count(method: Method): number {
    return this.calls.get(method) ?? 0;
  }

  usedBytes(): number {
    let used = 0;
    for (const p of this.#pending) used += p.bytes.byteLength;
    const walk = (dir: DirNode): void => {
      for (const child of dir.children.values()) {
        if (child.kind === 'file') used += child.data.byteLength;
        else walk(child);
      }
    };
    walk(this.#rootNode);
    return used;
  }

  /** @internal */
  register<N extends Node>(node: N): N {
    entries.set(node.id, { volume: this, node });
    return node;
  }

  /** @internal */
  called(method: Method): void {
    this.calls.set(method, this.count(method) + 1);
  }

  /** @internal */
  permission(node: Node): Permission {
    const own = this.#permissions.get(node);
    if (own === 'denied') return own;
    for (let n: Node | null = node; n !== null; n = n.parent) if (this.#permissions.get(n) === 'granted') return 'granted';
    return own ?? this.#default;
  }

  /** @internal */
  ask(node: Node): Permission {
    if (this.permission(node) === 'granted') return 'granted';
    this.prompts += 1;
    this.#permissions.set(node, this.promptAnswer);
    return this.promptAnswer;
  }

  /** @internal Grows a swap buffer, within the quota. */
  grow(pending: { bytes: Uint8Array }, size: number): void {
    if (size <= pending.bytes.byteLength) return;
    this.#pending.add(pending);
    if (this.usedBytes() + size - pending.bytes.byteLength > this.quotaBytes) {
      throw new DOMException('The operation failed because it would cause the application to exceed its storage quota.', 'QuotaExceededError');
    }
    const bytes = new Uint8Array(size);
    bytes.set(pending.bytes);
    pending.bytes = bytes;
  }

  /** @internal */
  release(pending: { bytes: Uint8Array }): void {
    this.#pending.delete(pending);
  }
}

function notFound(name: string): DOMException {
  return new DOMException(`A requested file or directory could not be found: “${name}”.`, 'NotFoundError');
}

function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\')) throw new TypeError(`Name is not allowed: “${name}”.`);
}

function isGranted(volume: MemoryVolume, node: Node): void {
  if (volume.permission(node) !== 'granted') throw new DOMException('The request is not allowed by the user agent or the platform in the current context.', 'NotAllowedError');
}

function attached(node: Node): boolean {
  for (let n: Node = node; n.parent !== null; n = n.parent) if (n.parent.children.get(n.name) !== n) return false;
  return true;
}

abstract class MemoryHandle {
  abstract readonly kind: FileSystemHandleKind;
  constructor(
    readonly volume: MemoryVolume,
    readonly node: Node,
  ) {}

  get name(): string {
    return this.node.name;
  }

  async isSameEntry(other: FileSystemHandle): Promise<boolean> {
    return other instanceof MemoryHandle && other.node === this.node;
  }

  async queryPermission(_descriptor?: { readonly mode?: 'read' | 'readwrite' }): Promise<Permission> {
    this.volume.called('queryPermission');
    return this.volume.permission(this.node);
  }

  async requestPermission(_descriptor?: { readonly mode?: 'read' | 'readwrite' }): Promise<Permission> {
    this.volume.called('requestPermission');
    return this.volume.ask(this.node);
  }

  /** Removes this entry (Chromium's FileSystemHandle.remove()). */
  async remove(): Promise<void> {
    const parent = this.node.parent;
    if (!parent || parent.children.get(this.node.name) !== this.node) throw notFound(this.node.name);
    parent.children.delete(this.node.name);
  }
}

export class MemoryFileHandle extends MemoryHandle implements FileSystemFileHandle {
  readonly kind = 'file';
  declare readonly node: FileNode;

  async getFile(): Promise<File> {
    this.volume.called('getFile');
    isGranted(this.volume, this.node);
    if (!attached(this.node)) throw notFound(this.node.name);
    return new File([this.node.data], this.node.name, { lastModified: this.node.lastModified });
  }

  async createWritable(options?: FileSystemCreateWritableOptions): Promise<FileSystemWritableFileStream> {
    this.volume.called('createWritable');
    if (!attached(this.node)) throw notFound(this.node.name);
    return new MemoryWritable(this.volume, this.node, options?.keepExistingData === true);
  }

  /** Renames the file in its folder, replacing a file of that name (as Chromium does in OPFS). */
  async move(newName: string): Promise<void> {
    checkName(newName);
    const parent = this.node.parent;
    if (!parent || !attached(this.node)) throw notFound(this.node.name);
    const there = parent.children.get(newName);
    if (there?.kind === 'directory') throw new DOMException(`“${newName}” is a folder.`, 'InvalidModificationError');
    parent.children.delete(this.node.name);
    this.node.name = newName;
    parent.children.set(newName, this.node);
  }
}

export class MemoryDirectoryHandle extends MemoryHandle implements FileSystemDirectoryHandle {
  readonly kind = 'directory';
  declare readonly node: DirNode;

  async getDirectoryHandle(name: string, options?: FileSystemGetDirectoryOptions): Promise<FileSystemDirectoryHandle> {
    this.volume.called('getDirectoryHandle');
    return new MemoryDirectoryHandle(this.volume, this.#child(name, 'directory', options?.create === true));
  }

  async getFileHandle(name: string, options?: FileSystemGetFileOptions): Promise<FileSystemFileHandle> {
    this.volume.called('getFileHandle');
    return new MemoryFileHandle(this.volume, this.#child(name, 'file', options?.create === true));
  }

  async removeEntry(name: string, options?: FileSystemRemoveOptions): Promise<void> {
    this.volume.called('removeEntry');
    checkName(name);
    const child = this.node.children.get(name);
    if (!child) throw notFound(name);
    if (child.kind === 'directory' && child.children.size > 0 && options?.recursive !== true) {
      throw new DOMException(`The folder “${name}” is not empty.`, 'InvalidModificationError');
    }
    this.node.children.delete(name);
  }

  async resolve(possibleDescendant: FileSystemHandle): Promise<string[] | null> {
    if (!(possibleDescendant instanceof MemoryHandle)) return null;
    const path: string[] = [];
    for (let n: Node | null = possibleDescendant.node; n !== null; n = n.parent) {
      if (n === this.node) return path.reverse();
      path.push(n.name);
    }
    return null;
  }

  async *entries(): FileSystemDirectoryHandleAsyncIterator<[string, FileSystemDirectoryHandle | FileSystemFileHandle]> {
    this.volume.called('entries');
    isGranted(this.volume, this.node);
    for (const [name, node] of [...this.node.children]) yield [name, node.kind === 'file' ? new MemoryFileHandle(this.volume, node) : new MemoryDirectoryHandle(this.volume, node)];
  }

  async *keys(): FileSystemDirectoryHandleAsyncIterator<string> {
    for await (const [name] of this.entries()) yield name;
  }

  async *values(): FileSystemDirectoryHandleAsyncIterator<FileSystemDirectoryHandle | FileSystemFileHandle> {
    for await (const [, handle] of this.entries()) yield handle;
  }

  [Symbol.asyncIterator](): FileSystemDirectoryHandleAsyncIterator<[string, FileSystemDirectoryHandle | FileSystemFileHandle]> {
    return this.entries();
  }

  /** Adds a file with `contents` at the "/"-separated `path`, making the folders on the way. */
  async write(path: string, contents: Uint8Array | string): Promise<MemoryFileHandle> {
    const names = path.split('/');
    let dir: FileSystemDirectoryHandle = new MemoryDirectoryHandle(this.volume, this.node);
    for (const name of names.slice(0, -1)) dir = await dir.getDirectoryHandle(name, { create: true });
    const file = (await dir.getFileHandle(names.at(-1)!, { create: true })) as MemoryFileHandle;
    file.node.data = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents.slice();
    return file;
  }

  #child<K extends Node['kind']>(name: string, kind: K, create: boolean): Extract<Node, { kind: K }> {
    checkName(name);
    isGranted(this.volume, this.node);
    const existing = this.node.children.get(name);
    if (existing && existing.kind !== kind) throw new DOMException(`“${name}” is not a ${kind}.`, 'TypeMismatchError');
    if (existing) return existing as Extract<Node, { kind: K }>;
    if (!create) throw notFound(name);
    const node = this.volume.register(kind === 'file' ? new FileNode(name, this.node) : new DirNode(name, this.node));
    this.node.children.set(name, node);
    return node as Extract<Node, { kind: K }>;
  }
}

/** A writable over a swap buffer: the file changes on close() only. */
class MemoryWritable extends WritableStream<FileSystemWriteChunkType> implements FileSystemWritableFileStream {
  constructor(volume: MemoryVolume, node: FileNode, keepExistingData: boolean) {
    const pending = { bytes: new Uint8Array(0) };
    let position = 0;
    let size = 0;
    const writeAt = (data: Uint8Array, at: number): void => {
      volume.grow(pending, at + data.byteLength);
      pending.bytes.set(data, at);
      size = Math.max(size, at + data.byteLength);
      position = at + data.byteLength;
    };
    if (keepExistingData) writeAt(node.data, 0);
    position = 0;
    super({
      async write(chunk) {
        try {
          if (isWriteParams(chunk)) {
            if (chunk.type === 'seek') position = chunk.position ?? position;
            else if (chunk.type === 'truncate') {
              volume.grow(pending, chunk.size ?? 0);
              size = chunk.size ?? size;
              position = Math.min(position, size);
            } else writeAt(await bytesOf(chunk.data ?? new Uint8Array(0)), chunk.position ?? position);
          } else writeAt(await bytesOf(chunk), position);
        } catch (error) {
          volume.release(pending);
          throw error;
        }
      },
      close() {
        volume.release(pending);
        if (!attached(node)) throw notFound(node.name);
        node.data = pending.bytes.slice(0, size);
        node.lastModified = Date.now();
      },
      abort() {
        volume.release(pending);
      },
    });
  }

  async write(data: FileSystemWriteChunkType): Promise<void> {
    const writer = this.getWriter();
    try {
      await writer.write(data);
    } finally {
      writer.releaseLock();
    }
  }

  seek(position: number): Promise<void> {
    return this.write({ type: 'seek', position });
  }

  truncate(size: number): Promise<void> {
    return this.write({ type: 'truncate', size });
  }
}

function isWriteParams(chunk: FileSystemWriteChunkType): chunk is WriteParams {
  return typeof chunk === 'object' && !(chunk instanceof Blob) && !(chunk instanceof ArrayBuffer) && !ArrayBuffer.isView(chunk);
}

async function bytesOf(data: BufferSource | Blob | string): Promise<Uint8Array> {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof Blob) return new Uint8Array(await data.arrayBuffer());
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const TOKEN = '__memoryFileSystemEntry';

/** Replaces handles by tokens (plain data), copying only the containers on the way. */
function encode(value: unknown): unknown {
  if (value instanceof MemoryHandle) return { [TOKEN]: value.node.id };
  if (Array.isArray(value)) return value.map(encode);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, encode(v)]));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

/** Turns tokens back into new handles for the same entries, as a clone in the browser does. */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, decode(v)]));
  if (isPlainObject(value)) {
    const id = value[TOKEN];
    const entry = typeof id === 'number' ? entries.get(id) : undefined;
    if (entry) return entry.node.kind === 'file' ? new MemoryFileHandle(entry.volume, entry.node) : new MemoryDirectoryHandle(entry.volume, entry.node);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Lets the global structuredClone clone MemoryFileHandle / MemoryDirectoryHandle (so fake-indexeddb
 * can keep them). Returns the function that puts the original back.
 */
export function installHandleCloning(): () => void {
  const original = globalThis.structuredClone;
  globalThis.structuredClone = ((value: unknown, options?: StructuredSerializeOptions) => decode(original(encode(value), options))) as typeof structuredClone;
  return () => {
    globalThis.structuredClone = original;
  };
}
