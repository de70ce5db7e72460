#!/usr/bin/python3
"""Derives the committed op table (scripts/codegen/ops_table.json) from libtorch's
native_functions.yaml, as shipped with PyTorch 1.13 (Debian python3-torch: torchgen/packaged).

Run with Debian's /usr/bin/python3 (it has torchgen). The table keeps public ops only: no leading
underscore, no out= overloads, no backward/internal kernels, no argument types torch-node cannot
pass (Dimname, Storage, Stream, QScheme...). scripts/codegen/gen.js turns the table into
native/generated/*.cc and lib/generated/*.ts.
"""
import json
import os
import re
import sys

import torch
import yaml
import torchgen
from torchgen.model import FunctionSchema

YAML = os.path.join(os.path.dirname(torchgen.__file__), "packaged/ATen/native/native_functions.yaml")

# Base types that torch-node can pass (after stripping '?' and list suffixes).
SUPPORTED = {
    "Tensor", "Tensor?", "Tensor[]", "Tensor?[]",
    "int", "int?", "SymInt", "SymInt?", "int[]", "int[]?", "SymInt[]", "SymInt[]?",
    "float", "float?", "float[]", "float[]?", "bool", "bool?",
    "Scalar", "Scalar?", "ScalarType", "ScalarType?", "Layout?", "Device", "Device?",
    "MemoryFormat", "MemoryFormat?", "str", "str?", "Generator?",
}
RET_SUPPORTED = {"Tensor", "Tensor[]", "Scalar", "int", "float", "bool", "ScalarType"}

# Name patterns of ops that are internal kernels, backends, or not meant for users.
SKIP_NAME = re.compile(
    r"^_|_backward|backward_|_out$|_forward$|^(cudnn|miopen|mkldnn|fbgemm|quantized_|q_|qscheme|"
    r"sparse_|to_sparse|to_mkldnn|_sparse|native_|batch_norm_(gather|elemt|backward|update)|"
    r"is_vulkan|vulkan|mps|nested|segment_reduce|sym_|lift|alias_copy|cudnn_|slow_conv|"
    r"thnn_|fake_quantize|fused_|.*_jvp$|.*_copy$|resize_as_sparse|sspaddmm|coalesce|indices|values|"
    r"crow_|col_|ccol|row_indices|dense_dim|sparse_dim|_nnz|is_coalesced|to_padded_tensor|"
    r"record_stream|set_data|data$|retain_grad|retains_grad|requires_grad_|output_nr|_version|"
    r"is_leaf|backward$|set_$|conj_physical_$|item$|size$|stride$|is_same_size)"
)
# Ops the skip patterns would drop but Python exposes: the _upsample_* kernels behind F.interpolate's
# nearest-exact and antialias modes, _unique2 behind torch.unique, and the sparse COO tensor basics.
KEEP_NAME = re.compile(r"^(_unique2|_standard_gamma|_standard_gamma_grad|_sample_dirichlet|_dirichlet_grad|_upsample_(nearest_exact[123]d|bilinear2d_aa|bicubic2d_aa)|sparse_coo_tensor|to_sparse|coalesce|is_coalesced|"
                       r"_?indices|_?values|sparse_dim|dense_dim|_nnz)$")
# Ops whose C++ binding is hand-written in libtorch or absent under the plain name.
SKIP_EXACT = {
    "to", "type_as", "contiguous", "is_complex", "is_floating_point", "is_conj", "is_neg", "is_signed",
    "is_inference", "is_nonzero", "numel", "dim", "element_size", "storage_offset", "is_pinned",
    "pin_memory", "align_as", "align_tensors", "align_to", "refine_names", "rename", "rename_",
    "unflatten_dense_tensors", "flatten_dense_tensors", "names", "has_names", "value_selecting_reduction_backward",
    "record_stream", "is_set_to", "requires_grad", "grad", "detach_", "unsafe_chunk", "unsafe_split",
    "unsafe_split_with_sizes", "choose_qparams_optimized", "cumsum_", "cumprod_", "new_empty_strided",
    "fill_diagonal_", "is_distributed", "is_same_size", "resize_", "resize_as_", "promote_types",
    "result_type", "can_cast", "set_", "item", "data_ptr", "copy_sparse_to_sparse_",
    "matrix_H", "mH", "mT", "H", "T", "adjoint",
}


def arg_type(a):
    return str(a.type)


def main():
    with open(YAML) as f:
        entries = yaml.safe_load(f)
    table = []
    skipped = 0
    for e in entries:
        schema = FunctionSchema.parse(e["func"])
        name = str(schema.name.name)
        overload = schema.name.overload_name
        if schema.is_out_fn() or (SKIP_NAME.search(name) and not KEEP_NAME.match(name)) or name in SKIP_EXACT \
                or e.get("manual_cpp_binding"):
            skipped += 1
            continue
        if e.get("python_module") in ("sparse", "nested"):
            skipped += 1
            continue
        variants = [v.strip() for v in e.get("variants", "function").split(",")]
        args = []
        ok = True
        a = schema.arguments
        positional = list(a.flat_positional)
        kwonly = list(a.flat_kwarg_only)
        for arg, kw in [(x, False) for x in positional] + [(x, True) for x in kwonly]:
            t = arg_type(arg)
            m = re.match(r"^(int|SymInt|bool|float)\[(\d+)\](\?)?$", t)
            fixed = None
            if m:
                fixed = int(m.group(2))
                t = m.group(1) + "[]" + (m.group(3) or "")
            if m and m.group(1) == "bool":
                t = "bool[%d]" % fixed
            elif t not in SUPPORTED:
                ok = False
                break
            ann = str(arg.annotation) if arg.annotation else None
            if ann and "!" in ann and arg.name != "self" and t.startswith("Tensor["):
                ok = False  # mutable tensor lists
                break
            args.append({
                "name": arg.name, "type": t, "fixed": fixed, "default": arg.default,
                "kwarg_only": kw, "annotation": ann,
            })
        if not ok:
            skipped += 1
            continue
        rets = []
        for r in schema.returns:
            t = str(r.type)
            if t not in RET_SUPPORTED:
                ok = False
                break
            rets.append({"type": t, "annotation": str(r.annotation) if r.annotation else None, "name": r.name})
        if not ok:
            skipped += 1
            continue
        table.append({
            "name": name, "overload": overload, "args": args, "returns": rets,
            "variants": variants, "python_module": e.get("python_module"),
            "inplace": schema.name.name.inplace,
            # Python accepts numbers for Tensor parameters of these ops (wrapped-number tensors).
            "numbers_as_tensors": bool(torch._C._should_allow_numbers_as_tensors(name)),
        })
    json.dump({"source": "native_functions.yaml of PyTorch " + __import__("torch").__version__,
               "ops": table}, open(os.path.join(os.path.dirname(__file__), "ops_table.json"), "w"), indent=0)
    names = {o["name"] for o in table}
    print(f"{len(table)} overloads, {len(names)} names, {skipped} skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
