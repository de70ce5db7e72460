/**
 * torch.cuda on this build: without CUDA the API answers as PyTorch 1.13 without CUDA does
 * (values recorded with /usr/bin/python3: is_available False, device_count 0, memory stats 0,
 * manual_seed/empty_cache no-ops, "Torch not compiled with CUDA enabled" for the rest).
 * With CUDA, the device checks run in test/cuda/cuda_device.test.ts.
 */
import * as torch from '../../lib';

const hasCuda = torch.cuda.is_available();
const noCuda = hasCuda ? describe.skip : describe;

noCuda('torch.cuda without CUDA (answers as PyTorch without CUDA)', () => {
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
      expect(f).toThrow('Torch not compiled with CUDA enabled');
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
    expect(cudnn.is_available()).toBe(hasCuda && cudnn.is_available());
    if (!cudnn.is_available()) expect(cudnn.version()).toBeNull();
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
