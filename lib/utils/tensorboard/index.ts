/** torch.utils.tensorboard: SummaryWriter (event files TensorBoard reads). */
export { SummaryWriter, FileWriter } from './writer';
export type { SummaryWriterOptions } from './writer';
