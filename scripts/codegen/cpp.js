// The C++ emitter: one guarded N-API entry point per bound overload (TN_FN(a_<name>[_<overload>])),
// in the shard files the model assigns (native/generated/ops_<k>.cc).
'use strict';
const { HEADER, REMOVED, TRAILING, checksFor, retInfo, nativeName } = require('./model');

// The C++ value of a schema default (null: none, or None, which the opt_* helpers turn into nullopt).
function cppDefault(a) {
  const d = a.default;
  const t = a.type;
  if (d === null || d === undefined) return null;
  if (d === 'None') return null; // optional types: nullish → nullopt via opt_* helpers
  if (t === 'bool') return d === 'True' ? 'true' : 'false';
  if (t === 'bool?') return d === 'True' ? 'opt<bool>(true)' : 'opt<bool>(false)';
  if (t === 'int' || t === 'SymInt' || t === 'int?') {
    if (d === 'Mean') return 'static_cast<int64_t>(at::Reduction::Mean)';
    return `static_cast<int64_t>(${d}LL)`;
  }
  if (t === 'float') {
    if (d === 'inf') return 'std::numeric_limits<double>::infinity()';
    if (d === '-inf') return '-std::numeric_limits<double>::infinity()';
    return `static_cast<double>(${d})`;
  }
  if (t === 'Scalar') return /^-?\d+$/.test(d) ? `at::Scalar(static_cast<int64_t>(${d}))` : `at::Scalar(static_cast<double>(${d}))`;
  if (t === 'int[]' || t === 'SymInt[]') {
    if (d.startsWith('[')) return `std::vector<int64_t>{${d.slice(1, -1)}}`;
    return `std::vector<int64_t>(${a.fixed || 1}, ${d})`;
  }
  if (t === 'str') return `std::string(${JSON.stringify(d.replace(/^['"]|['"]$/g, ''))})`;
  if (t === 'ScalarType?' && d === 'long') return 'opt<at::ScalarType>(at::kLong)';
  throw new Error(`no C++ default for ${t} = ${d}`);
}

// C++ statements converting JS argument k to a local `v<k>`, and the expression passed on.
function cppArg(a, k) {
  const n = JSON.stringify(a.name);
  const def = cppDefault(a);
  const withDef = (conv, type) =>
    def === null ? `${type} v${k} = ${conv};` : `${type} v${k} = is_nullish(info, ${k}) ? ${type}(${def}) : ${type}(${conv});`;
  switch (a.type) {
    case 'Tensor': return [`at::Tensor v${k} = tensor_arg(info, ${k}, ${n});`, `v${k}`];
    case 'Tensor|number': return [`at::Tensor v${k} = tensor_or_number_arg(info, ${k}, ${n});`, `v${k}`];
    case 'Tensor?': return [`opt<at::Tensor> v${k} = opt_tensor_arg(info, ${k}, ${n});`, `v${k}`];
    case 'Tensor[]': return [`std::vector<at::Tensor> v${k} = tensor_list_arg(info, ${k}, ${n});`, `at::TensorList(v${k})`];
    case 'Tensor?[]': return [`c10::List<opt<at::Tensor>> v${k} = opt_tensor_list_arg(info, ${k}, ${n});`, `v${k}`];
    case 'int': case 'SymInt': return [withDef(`int_arg(info, ${k}, ${n})`, 'int64_t'), `v${k}`];
    case 'int?': case 'SymInt?':
      if (def !== null) return [withDef(`opt_int_arg(info, ${k}, ${n})`, 'opt<int64_t>'), `v${k}`];
      return [`opt<int64_t> v${k} = opt_int_arg(info, ${k}, ${n});`, `v${k}`];
    case 'int[]': case 'SymInt[]': {
      const conv = a.fixed && a.fixed > 1
        ? `fixed_int_list_arg(info, ${k}, ${n}, ${a.fixed})` : `int_list_arg(info, ${k}, ${n})`;
      return [withDef(conv, 'std::vector<int64_t>'), `at::IntArrayRef(v${k})`];
    }
    case 'int[]?': case 'SymInt[]?': {
      const conv = a.fixed && a.fixed > 1
        ? `opt<std::vector<int64_t>>(fixed_int_list_arg(info, ${k}, ${n}, ${a.fixed}))` : `opt_int_list_arg(info, ${k}, ${n})`;
      return [`opt<std::vector<int64_t>> v${k} = is_nullish(info, ${k}) ? opt<std::vector<int64_t>>() : ${conv};`,
        `(v${k} ? at::OptionalIntArrayRef(*v${k}) : at::OptionalIntArrayRef())`];
    }
    case 'float': return [withDef(`double_arg(info, ${k}, ${n})`, 'double'), `v${k}`];
    case 'float?': return [`opt<double> v${k} = opt_double_arg(info, ${k}, ${n});`, `v${k}`];
    case 'float[]?': return [`opt<std::vector<double>> v${k}; if (!is_nullish(info, ${k})) v${k} = double_list_arg(info, ${k}, ${n});`,
      `(v${k} ? opt<at::ArrayRef<double>>(at::ArrayRef<double>(*v${k})) : opt<at::ArrayRef<double>>())`];
    case 'bool': return [withDef(`bool_arg(info, ${k}, ${n})`, 'bool'), `v${k}`];
    case 'bool?': return [`opt<bool> v${k} = opt_bool_arg(info, ${k}, ${n});`, `v${k}`];
    case 'Scalar': return [withDef(`scalar_arg(info, ${k}, ${n})`, 'at::Scalar'), `v${k}`];
    case 'Scalar?': return [`opt<at::Scalar> v${k} = opt_scalar_arg(info, ${k}, ${n});`, `v${k}`];
    case 'ScalarType': return [`at::ScalarType v${k} = dtype_arg(info, ${k}, ${n});`, `v${k}`];
    case 'ScalarType?':
      if (def !== null) return [`opt<at::ScalarType> v${k} = is_nullish(info, ${k}) ? ${def} : opt_dtype_arg(info, ${k}, ${n});`, `v${k}`];
      return [`opt<at::ScalarType> v${k} = opt_dtype_arg(info, ${k}, ${n});`, `v${k}`];
    case 'Layout?': return [`opt<at::Layout> v${k} = layout_arg(info, ${k}, ${n});`, `v${k}`];
    case 'Device?': return [`opt<at::Device> v${k} = opt_device_arg(info, ${k}, ${n});`, `v${k}`];
    case 'MemoryFormat?': return [`opt<at::MemoryFormat> v${k} = opt_memory_format_arg(info, ${k}, ${n});`, `v${k}`];
    case 'str': return [withDef(`string_arg(info, ${k}, ${n})`, 'std::string'), `c10::string_view(v${k})`];
    case 'str?': return [`opt<std::string> v${k} = opt_string_arg(info, ${k}, ${n});`,
      `(v${k} ? opt<c10::string_view>(c10::string_view(*v${k})) : opt<c10::string_view>())`];
    case 'Generator?': return [`opt<at::Generator> v${k} = opt_generator_arg(info, ${k}, ${n});`, `v${k}`];
    default: throw new Error(`unsupported type ${a.type}`);
  }
}

function genCpp(op) {
  const fn = nativeName(op);
  const lines = [];
  const exprs = [];
  op.args.forEach((a, k) => {
    const [stmt, expr] = cppArg(a, k);
    lines.push('  ' + stmt);
    exprs.push(expr);
  });
  const isFunction = op.variants.includes('function');
  const selfIdx = op.args.findIndex((a) => a.name === 'self');
  let call;
  let helper = '';
  const extra = TRAILING[fn];
  if (extra && isFunction) {
    const withExtra = `at::${op.name}(std::forward<A>(a)..., ${extra.join(', ')})`;
    const without = `at::${op.name}(std::forward<A>(a)...)`;
    helper = `// at::${op.name} with its later trailing argument(s) where this libtorch takes them\n` +
      `template <typename... A>\nauto call_${fn}(int, A&&... a) -> decltype(${withExtra}) { return ${withExtra}; }\n` +
      `template <typename... A>\nauto call_${fn}(long, A&&... a) -> decltype(${without}) { return ${without}; }\n`;
    call = `call_${fn}(0, ${exprs.join(', ')})`;
  } else if (isFunction) call = `at::${op.name}(${exprs.join(', ')})`;
  else {
    if (selfIdx !== 0) throw new Error(`method ${fn} without leading self`);
    call = `v0.${op.name}(${exprs.slice(1).join(', ')})`;
  }
  const chk = checksFor(op);
  if (chk) lines.push('  ' + chk);
  const ri = retInfo(op);
  let body;
  if (ri.code === 1 || ri.code === 6) body = `  ${call};\n  return info.Env().Undefined();`;
  else if (ri.code === 4) {
    const t = op.returns[0].type;
    const cast = t === 'int' ? 'static_cast<int64_t>' : t === 'float' ? 'static_cast<double>' : t === 'bool' ? 'static_cast<bool>' : '';
    body = `  return ret(info.Env(), ${cast}(${call}));`;
  } else body = `  return ret(info.Env(), ${call});`;
  const sig = `${op.name}${op.overload ? '.' + op.overload : ''}(${op.args.map((a) => `${a.type} ${a.name}`).join(', ')})`;
  const gone = REMOVED[fn];
  if (gone) {
    const cstr = (t) => JSON.stringify(t); // a C string literal for ASCII text
    const msg = `${cstr(`${gone.what} is not available in libtorch `)} TORCH_VERSION ${cstr(` (removed in PyTorch ${gone.since}); use ${gone.instead}`)}`;
    body = `#if ${gone.has}\n${body}\n#else\n  throw_torch(${msg});\n#endif`;
  }
  return `${helper}// [sync] ${sig}${gone ? ` (absent from libtorch >= ${gone.since}: throws TorchError there)` : ''}\nTN_FN(${fn}) {\n${lines.join('\n')}\n${body}\n}\n`;
}

/** The shard files: [path relative to the repository root, text], one per model shard. */
function emitCpp(model) {
  return model.shards.map((part, c) => [`native/generated/ops_${c}.cc`, [
    `// ${HEADER}`,
    '// ATen op entry points, one per overload. Arguments arrive in schema order; null/undefined',
    '// takes the schema default. Tensor results are returned as handles; in-place results as undefined',
    '// (lib/generated/ops.ts returns the aliased JS argument).',
    '#include "common/core.h"',
    '#include "common/checks.h"',
    '#include "tensor/random.h"',
    '#include <limits>',
    '',
    'namespace tn {',
    'namespace {',
    '',
    ...part.map(genCpp),
    '}  // namespace',
    '}  // namespace tn',
    '',
  ].join('\n')]);
}

module.exports = { emitCpp, genCpp };
