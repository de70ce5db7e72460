/**
 * torch.utils.tensorboard.SummaryWriter: writes TensorBoard event files
 * (`events.out.tfevents.<time>.<host>.<pid>.<n>`: TFRecords of Event protobufs, the first one
 * `file_version: "brain.Event:2"`), which TensorBoard and its EventAccumulator read.
 *
 * Example:
 *   const writer = new torch.utils.tensorboard.SummaryWriter('runs/exp1');
 *   writer.add_scalar('Loss/train', loss, step);
 *   writer.close();
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Tensor } from '../../tensor';
import { tensor } from '../../creation';
import { Msg, tfrecord } from './proto';
import * as summary from './summary';

let globalUid = 0;

/** One event file in a directory; events are buffered and written on flush (or max_queue, or flush_secs). */
export class FileWriter {
  readonly file: string;
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  constructor(public logdir: string, private max_queue = 10, private flush_secs = 120, filename_suffix = '') {
    fs.mkdirSync(logdir, { recursive: true });
    const t = Math.floor(Date.now() / 1000);
    const name = `events.out.tfevents.${String(t).padStart(10, '0')}.${os.hostname()}.${process.pid}.${globalUid++}${filename_suffix}`;
    this.file = path.join(logdir, name);
    fs.writeFileSync(this.file, tfrecord(new Msg().double(1, Date.now() / 1000).bytes(3, 'brain.Event:2').finish()));
  }
  get_logdir(): string {
    return this.logdir;
  }
  /** Event{wall_time, step, summary{value}} */
  add_summary(value: Msg, global_step?: number | null, walltime?: number | null): void {
    if (this.closed) throw new Error('add_summary() on a closed SummaryWriter');
    const ev = new Msg().double(1, walltime ?? Date.now() / 1000);
    if (global_step !== undefined && global_step !== null) ev.int(2, Math.trunc(global_step));
    ev.bytes(5, new Msg().bytes(1, value));
    this.queue.push(tfrecord(ev.finish()));
    if (this.queue.length >= this.max_queue) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flush_secs * 1000);
      this.timer.unref();
    }
  }
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    fs.appendFileSync(this.file, Buffer.concat(this.queue));
    this.queue = [];
  }
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }
}

export interface SummaryWriterOptions {
  log_dir?: string | null;
  comment?: string;
  purge_step?: number | null;
  max_queue?: number;
  flush_secs?: number;
  filename_suffix?: string;
}

/**
 * SummaryWriter(log_dir=None, comment='', purge_step=None, max_queue=10, flush_secs=120, filename_suffix='').
 * Without log_dir it writes to `runs/<Mon>DD_HH-MM-SS_<host><comment>` as PyTorch does.
 */
export class SummaryWriter {
  log_dir: string;
  private opts: Required<Omit<SummaryWriterOptions, 'log_dir' | 'purge_step' | 'comment'>>;
  private writer: FileWriter | null = null;
  private all_writers = new Map<string, FileWriter>();
  constructor(log_dir?: string | null | SummaryWriterOptions, options: SummaryWriterOptions = {}) {
    if (log_dir !== null && typeof log_dir === 'object') {
      options = log_dir;
      log_dir = options.log_dir;
    }
    if (!log_dir) {
      const d = new Date();
      const mon = d.toLocaleString('en-US', { month: 'short' });
      const p2 = (n: number) => String(n).padStart(2, '0');
      const stamp = `${mon}${p2(d.getDate())}_${p2(d.getHours())}-${p2(d.getMinutes())}-${p2(d.getSeconds())}`;
      log_dir = path.join('runs', `${stamp}_${os.hostname()}${options.comment ?? ''}`);
    }
    this.log_dir = log_dir;
    this.opts = { max_queue: options.max_queue ?? 10, flush_secs: options.flush_secs ?? 120, filename_suffix: options.filename_suffix ?? '' };
    this._get_file_writer();
  }
  get_logdir(): string {
    return this.log_dir;
  }
  _get_file_writer(): FileWriter {
    if (this.writer === null) {
      this.writer = new FileWriter(this.log_dir, this.opts.max_queue, this.opts.flush_secs, this.opts.filename_suffix);
      this.all_writers.set(this.log_dir, this.writer);
    }
    return this.writer;
  }
  /** add_scalar(tag, scalar_value, global_step=None, walltime=None) */
  add_scalar(tag: string, scalar_value: number | Tensor, global_step?: number | null, walltime?: number | null): void {
    this._get_file_writer().add_summary(summary.scalar(tag, summary.toNumber(scalar_value, 'scalar_value')), global_step, walltime);
  }
  /**
   * add_scalars(main_tag, tag_scalar_dict, global_step=None, walltime=None): each tag goes to its
   * own event file under `<log_dir>/<main_tag>_<tag>`, all with the tag `main_tag`.
   */
  add_scalars(main_tag: string, tag_scalar_dict: Record<string, number | Tensor>, global_step?: number | null, walltime?: number | null): void {
    const wt = walltime ?? Date.now() / 1000;
    for (const tag of Object.keys(tag_scalar_dict)) {
      const fw_tag = `${this.log_dir}/${main_tag.replace(/\//g, '_')}_${tag}`;
      let fw = this.all_writers.get(fw_tag);
      if (!fw) {
        fw = new FileWriter(fw_tag, this.opts.max_queue, this.opts.flush_secs, this.opts.filename_suffix);
        this.all_writers.set(fw_tag, fw);
      }
      fw.add_summary(summary.scalar(main_tag, summary.toNumber(tag_scalar_dict[tag], 'scalar_value')), global_step, wt);
    }
  }
  /** add_histogram(tag, values, global_step=None, bins='tensorflow', walltime=None) */
  add_histogram(tag: string, values: Tensor | number[], global_step?: number | null, bins: 'tensorflow' | number[] = 'tensorflow', walltime?: number | null): void {
    const v = values instanceof Tensor ? values : tensor(values);
    const b = bins === 'tensorflow' ? summary.default_bins : bins;
    this._get_file_writer().add_summary(summary.histogram(tag, v, b), global_step, walltime);
  }
  /** add_image(tag, img_tensor, global_step=None, walltime=None, dataformats='CHW'): a PNG. */
  add_image(tag: string, img_tensor: Tensor, global_step?: number | null, walltime?: number | null, dataformats = 'CHW'): void {
    this._get_file_writer().add_summary(summary.image(tag, img_tensor, dataformats), global_step, walltime);
  }
  /** add_text(tag, text_string, global_step=None, walltime=None) */
  add_text(tag: string, text_string: string, global_step?: number | null, walltime?: number | null): void {
    this._get_file_writer().add_summary(summary.text(tag, text_string), global_step, walltime);
  }
  /**
   * add_hparams(hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None): the HParams
   * plugin's summaries and each metric as a scalar, in a sub-run `<log_dir>/<run_name>` (default:
   * the current time in seconds, as PyTorch names it).
   */
  add_hparams(hparam_dict: Record<string, number | string | boolean | Tensor>, metric_dict: Record<string, number | Tensor>,
    hparam_domain_discrete?: Record<string, (number | string | boolean)[]> | null, run_name?: string | null): void {
    if (hparam_dict === null || typeof hparam_dict !== 'object' || metric_dict === null || typeof metric_dict !== 'object') {
      throw new TypeError('hparam_dict and metric_dict should be dictionary.');
    }
    const [exp, ssi, sei] = summary.hparams(hparam_dict, metric_dict, hparam_domain_discrete ?? {});
    const logdir = path.join(this._get_file_writer().get_logdir(), run_name || String(Date.now() / 1000));
    const w = new SummaryWriter(logdir, { max_queue: this.opts.max_queue, flush_secs: this.opts.flush_secs, filename_suffix: this.opts.filename_suffix });
    try {
      const fw = w._get_file_writer();
      fw.add_summary(exp);
      fw.add_summary(ssi);
      fw.add_summary(sei);
      for (const k of Object.keys(metric_dict)) w.add_scalar(k, metric_dict[k]);
    } finally {
      w.close();
    }
  }
  /** Writes the buffered events of every file. */
  flush(): void {
    for (const w of this.all_writers.values()) w.flush();
  }
  /** Flushes and closes every file. */
  close(): void {
    for (const w of this.all_writers.values()) w.close();
    this.all_writers.clear();
    this.writer = null;
  }
}
