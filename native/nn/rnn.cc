// Recurrent helpers that the generated surface skips (underscore ATen ops): the packing kernels
// behind torch.nn.utils.rnn. The RNN forwards themselves are the generated torch.lstm/gru/rnn_*.
#include "common/core.h"

namespace tn {
namespace {

// [sync] _nn_pack_padded_sequence(input, lengths, batch_first) -> [data, batch_sizes];
// throws TorchError for unsorted/invalid lengths (libtorch's message).
TN_FN(_nn_pack_padded_sequence) {
  at::Tensor input = tensor_arg(info, 0, "input");
  at::Tensor lengths = tensor_arg(info, 1, "lengths");
  bool batch_first = bool_arg(info, 2, "batch_first");
  return ret(info.Env(), at::_pack_padded_sequence(input, lengths, batch_first));
}

// [sync] _nn_pad_packed_sequence(data, batch_sizes, batch_first, padding_value, total_length)
// -> [padded, lengths]; throws TorchError for a total_length below the longest sequence.
TN_FN(_nn_pad_packed_sequence) {
  at::Tensor data = tensor_arg(info, 0, "data");
  at::Tensor batch_sizes = tensor_arg(info, 1, "batch_sizes");
  bool batch_first = bool_arg(info, 2, "batch_first");
  double padding_value = double_arg(info, 3, "padding_value");
  int64_t total_length = int_arg(info, 4, "total_length");
  return ret(info.Env(), at::_pad_packed_sequence(data, batch_sizes, batch_first, padding_value, total_length));
}

}  // namespace
}  // namespace tn
