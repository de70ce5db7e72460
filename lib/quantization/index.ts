/**
 * torch.quantization / torch.ao.quantization (dynamic quantization) and
 * torch.ao.nn.quantized.dynamic (the dynamic quantized layers).
 *
 * Example:
 *   const q = torch.quantization.quantize_dynamic(model);          // int8 Linear/LSTM/GRU/cells
 *   q.eval(); const y = await q.forward_async(x);                   // off the JS thread
 */
import * as dynamicModules from './modules';
export { quantize_dynamic, QConfig, default_dynamic_qconfig, float16_dynamic_qconfig, get_default_dynamic_quant_module_mappings } from './quantize';
export type { QuantizeDynamicOptions } from './quantize';
export {
  qscheme, per_tensor_affine, per_channel_affine, per_tensor_symmetric, per_channel_symmetric, per_channel_affine_float_qparams,
  q_scale, q_zero_point, q_per_channel_scales, q_per_channel_zero_points, q_per_channel_axis,
} from './qtensor';

/** torch.ao.nn.quantized.dynamic */
export const dynamic = {
  Linear: dynamicModules.Linear,
  LSTM: dynamicModules.LSTM,
  GRU: dynamicModules.GRU,
  LSTMCell: dynamicModules.LSTMCell,
  GRUCell: dynamicModules.GRUCell,
  RNNCell: dynamicModules.RNNCell,
  RNNBase: dynamicModules.RNNBase,
  RNNCellBase: dynamicModules.RNNCellBase,
};
