/**
 * torch.cuda on this build: without CUDA the API answers as PyTorch 1.13 without CUDA does
 * (values recorded with /usr/bin/python3: is_available False, device_count 0, memory stats 0,
 * manual_seed/empty_cache no-ops, "Torch not compiled with CUDA enabled" for the rest). A CUDA
 * build on a machine without a usable GPU answers the same, except that what needs a device
 * raises what PyTorch's CUDA initialization raises there (c10's text: no driver, or no device).
 * With a GPU, the device checks run in test/cuda/cuda_device.test.ts.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { native } from '../../lib/binding';

const hasCuda = torch.cuda.is_available();
const noCuda = hasCuda ? describe.skip : describe;
const cudaBuild = native._build_info().cuda;

/** Whether the CUDA driver library (libcuda.so.1) is on this machine: the loader's path or ldconfig's cache. */
function hasDriverLibrary(): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH || '').split(':'), '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/usr/local/nvidia/lib64'];
  if (dirs.some((d) => d && fs.existsSync(path.join(d, 'libcuda.so.1')))) return true;
  try {
    return /\blibcuda\.so\.1\b/.test(execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}
/**
 * PyTorch's error for what needs a device, where torch.cuda.is_available() is false: a CPU build's
 * (torch/cuda/__init__.py), or on a CUDA build what c10::cuda::device_count_ensure_non_zero raises
 * (c10/cuda/CUDAFunctions.cpp): no driver library, or a driver but no device.
 */
const noDeviceError = !cudaBuild
  ? 'Torch not compiled with CUDA enabled'
  : !hasDriverLibrary()
    ? 'Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver from http://www.nvidia.com/Download/index.aspx'
    : 'No CUDA GPUs are available';

noCuda(`torch.cuda without CUDA (answers as PyTorch without CUDA; ${cudaBuild ? 'a CUDA build, no usable GPU' : 'a CPU build'})`, () => {
  test('availability and counts', () => {
    expect(torch.cuda.is_available()).toBe(false);
    expect(torch.cuda.device_count()).toBe(0);
    expect(torch.cuda.is_initialized()).toBe(false);
    expect(torch.cuda.is_bf16_supported()).toBe(false);
  });
  test('what needs a device raises', () => {
    for (const f of [() => torch.cuda.current_device(), () => torch.cuda.set_device(0), () => torch.cuda.get_device_name(),
      () => torch.cuda.synchronize(), () => torch.cuda.reset_peak_memory_stats()]) {
      expect(f).toThrow(torch.TorchError);
      expect(f).toThrow(noDeviceError);
      expect(f).not.toThrow(/CUDA driver version is insufficient/);
    }
    expect(() => torch.cuda.set_device(-1)).not.toThrow();
  });
  test('memory statistics are 0; seeding and empty_cache do nothing', () => {
    expect(torch.cuda.memory_allocated()).toBe(0);
    expect(torch.cuda.max_memory_allocated()).toBe(0);
    expect(torch.cuda.memory_reserved()).toBe(0);
    expect(torch.cuda.max_memory_reserved()).toBe(0);
    expect(() => torch.cuda.manual_seed(1)).not.toThrow();
    expect(() => torch.cuda.manual_seed_all(1)).not.toThrow();
    expect(() => torch.cuda.empty_cache()).not.toThrow();
  });
  test('GradScaler for CUDA disables itself with a warning', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const s = new torch.cuda.amp.GradScaler();
    expect(warn).toHaveBeenCalledWith('torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.', 'UserWarning');
    warn.mockRestore();
    expect(s.is_enabled()).toBe(false);
    const t = torch.ones([2]);
    expect(s.scale(t)).toBe(t);
    expect(s.get_scale()).toBe(1.0);
    expect(s.state_dict()).toEqual({});
    let stepped = 0;
    s.step({ param_groups: [], step: () => stepped++ });
    expect(stepped).toBe(1);
  });
  test("autocast('cuda') disables itself with a warning", () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const r = torch.autocast('cuda', () => torch.is_autocast_enabled());
    expect(r).toBe(false);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('torch.backends.cudnn flags', () => {
  test('benchmark / deterministic round-trip; availability', () => {
    const { cudnn } = torch.backends;
    expect(cudnn.benchmark).toBe(false);
    cudnn.benchmark = true;
    expect(cudnn.benchmark).toBe(true);
    cudnn.benchmark = false;
    cudnn.deterministic = true;
    expect(cudnn.deterministic).toBe(true);
    cudnn.deterministic = false;
    // PyTorch's is_available() is torch._C._has_cudnn: whether the build has cuDNN, with or without
    // a driver or GPU. PyTorch's CUDA builds (wheels, libtorch archives) all ship it; a CPU build has none.
    expect(cudnn.is_available()).toBe(cudaBuild);
    if (cudaBuild) expect(cudnn.version()).toBeGreaterThan(0);
    else expect(cudnn.version()).toBeNull();
  });
});

describe('argument errors', () => {
  test('bad devices are TypeError/RangeError', () => {
    expect(() => torch.cuda.get_device_name(1.5)).toThrow(TypeError);
    expect(() => torch.cuda.memory_allocated('cpu')).toThrow(RangeError);
    expect(() => torch.autocast('tpu')).toThrow(RangeError);
    expect(() => torch.autocast('cpu', { bogus: 1 } as any)).toThrow(TypeError);
    expect(() => new torch.amp.GradScaler('cpu', { bogus: 1 } as any)).toThrow(TypeError);
  });
});
