/**
 * The raw native surface of torch_node.node. Tensors cross as integer handles (>= 0 for arena
 * tensors, ~slot for large tensors that need their own token); dtypes as c10::ScalarType codes;
 * devices as strings. The generated op entry points (a_<op>[_<overload>]) are typed by NativeOps in
 * types/generated/native_ops.d.ts, which scripts/codegen/gen.js writes with them.
 */
import type { NativeOps } from './generated/native_ops';

export type { NativeOps };
export type Handle = number;
export type TypedArray =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array
  | Uint8ClampedArray | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;

export interface NativeCore {
  _init(o: { TorchError: new (m: string) => Error; [errorClass: string]: unknown; warn?: (message: string, category: string) => void; shared: Int32Array }): void;
  _build_info(): { torch_version: string; cuda: boolean; napi_experimental: boolean; c10d_backends: ('gloo' | 'nccl')[] };
  _arena_token(): object;
  _solo_token(slot: number): object;
  _free(h: Handle): void;
  _free_many(hs: Handle[]): void;
  _live(): [number, number];
  _from_buffer(data: TypedArray, shape: number[], dtype: number, copy: boolean): Handle;
  _copy_to(h: Handle, out: TypedArray): void;
  _shape(h: Handle): number[];
  _dtype(h: Handle): number;
  _device(h: Handle): string;
  _dim(h: Handle): number;
  _numel(h: Handle): number;
  _stride(h: Handle): number[];
  _storage_offset(h: Handle): number;
  _is_contiguous(h: Handle): boolean;
  _contiguous(h: Handle, memory_format: number | null): Handle | null;
  _element_size(h: Handle): number;
  _item(h: Handle): number | boolean;
  _to(h: Handle, device: string | null, dtype: number | null, non_blocking: boolean, copy: boolean): Handle | null;
  _cuda_info(): [boolean, number];
}

/** The whole surface: the core, the generated ops, and the families' hand-written entry points (untyped). */
export interface Native extends NativeCore, NativeOps {
  [name: string]: any;
}
