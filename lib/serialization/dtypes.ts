/** The dtype names of the two file formats: PyTorch's storage classes and safetensors' codes. */
import * as D from '../dtype';

/** PyTorch's typed storage classes (torch.FloatStorage …), as pickled by torch.save. */
export const STORAGE_CLASS: ReadonlyArray<[string, D.dtype]> = [
  ['FloatStorage', D.float32], ['DoubleStorage', D.float64], ['HalfStorage', D.float16],
  ['BFloat16Storage', D.bfloat16], ['LongStorage', D.int64], ['IntStorage', D.int32],
  ['ShortStorage', D.int16], ['CharStorage', D.int8], ['ByteStorage', D.uint8],
  ['BoolStorage', D.bool], ['ComplexFloatStorage', D.complex64], ['ComplexDoubleStorage', D.complex128],
  ['QInt8Storage', D.qint8], ['QUInt8Storage', D.quint8], ['QInt32Storage', D.qint32],
];

export function storageClassOf(d: D.dtype): string {
  for (const [name, dt] of STORAGE_CLASS) if (dt === d) return name;
  throw new TypeError(`torch.save: tensors of dtype ${d} are not supported`);
}

/** Python's torch.<name> globals for dtypes (a pickled torch.dtype is GLOBAL torch <name>). */
export const DTYPE_GLOBALS: ReadonlyMap<string, D.dtype> = new Map<string, D.dtype>([
  ['uint8', D.uint8], ['int8', D.int8], ['int16', D.int16], ['short', D.int16], ['int32', D.int32], ['int', D.int32],
  ['int64', D.int64], ['long', D.int64], ['float16', D.float16], ['half', D.float16], ['float32', D.float32],
  ['float', D.float32], ['float64', D.float64], ['double', D.float64], ['bfloat16', D.bfloat16], ['bool', D.bool],
  ['complex64', D.complex64], ['cfloat', D.complex64], ['complex128', D.complex128], ['cdouble', D.complex128],
  ['complex32', D.complex32], ['chalf', D.complex32], ['qint8', D.qint8], ['quint8', D.quint8], ['qint32', D.qint32],
  ['quint4x2', D.quint4x2],
]);

/** safetensors dtype codes that libtorch can hold. */
export const SAFETENSORS_DTYPE: ReadonlyArray<[string, D.dtype]> = [
  ['F64', D.float64], ['F32', D.float32], ['F16', D.float16], ['BF16', D.bfloat16], ['I64', D.int64], ['I32', D.int32],
  ['I16', D.int16], ['I8', D.int8], ['U8', D.uint8], ['BOOL', D.bool], ['C64', D.complex64],
];
