import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu, resetGpu } from './util/gpu.js';
import { randn, assertClose, assertThrows } from './util/check.js';
import { createDevice } from '../src/runtime/device.js';
import { WaveGpuError } from '../src/runtime/errors.js';
import { sizeClass } from '../src/runtime/pool.js';
import { sourceLine } from '../src/runtime/kernel_info.js';
import { KERNELS } from '../src/kernels.gen.js';
import * as ew from '../src/ops/elementwise.js';
import { unaryRef } from '../src/ref/elementwise.js';

const t = suite('runtime');

t('tensor round trip for f32, i32, u32 and empty shapes', async () => {
  const gpu = await getGpu();
  const f = randn(37, 1);
  assertClose(await gpu.tensor(f).read(), f, { atol: 0, rtol: 0 });
  const i = Int32Array.from([-5, 0, 7, 2147483647]);
  assert.equal(Array.from(await gpu.tensor(i).read()), Array.from(i));
  const u = Uint32Array.from([0, 1, 4294967295]);
  assert.equal(Array.from(await gpu.tensor(u).read()), Array.from(u));
  assert.is((await gpu.tensor(new Float32Array(0), [0, 3]).read()).length, 0);
});

t('a chain of ops submits once and reads back once', async () => {
  const gpu = await getGpu();
  gpu.submit();
  const before = gpu.stats.submits;
  const x = randn(1001, 2);
  const y = gpu.scope(() => ew.scale(ew.tanh(ew.relu(gpu.tensor(x))), 2, 1));
  const out = await y.read();
  assert.is(gpu.stats.submits - before, 1);
  assertClose(out, unaryRef(unaryRef(unaryRef(x, 'relu'), 'tanh'), 'affine', 2, 1), { atol: 1e-5, rtol: 1e-5 });
  y.dispose();
});

t('writes inside an open pass are ordered after earlier commands', async () => {
  const gpu = await getGpu();
  const a = gpu.tensor(new Float32Array([1, 2, 3]));
  const b = ew.scale(a, 10);         // recorded, not yet run
  gpu.write(a, [5, 6, 7]);           // must not be seen by b
  const c = ew.scale(a, 10);
  assert.equal(Array.from(await b.read()), [10, 20, 30]);
  assert.equal(Array.from(await c.read()), [50, 60, 70]);
});

t('scope disposes temporaries and keeps what it returns', async () => {
  const gpu = await getGpu();
  let tmp: ReturnType<typeof gpu.tensor> | undefined;
  const kept = gpu.scope(() => {
    tmp = gpu.tensor(new Float32Array(16));
    return { out: [ew.relu(tmp)] };
  });
  assert.ok(tmp!.isDisposed);
  assert.not.ok(kept.out[0].isDisposed);
  const asyncKept = await gpu.scope(async () => ew.relu(gpu.tensor(new Float32Array(4))));
  assert.not.ok(asyncKept.isDisposed);
  await assertThrows(() => tmp!.read(), /disposed/);
});

t('pool reuses buffers by size class', async () => {
  const gpu = await getGpu();
  assert.is(sizeClass(1000), 1024);
  assert.is(sizeClass(1025), 1280);
  const a = gpu.empty([1000]);
  const buf = a.buffer;
  a.dispose();
  const b = gpu.empty([999]);
  assert.is(b.buffer, buf);
  b.dispose();
});

t('record once, replay with new inputs', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array([0.5, -1, 2]));
  const poison = gpu.poison;
  gpu.poison = false; // poison fills would be recorded too
  const rec = gpu.record(() => ew.scale(ew.relu(x), 3));
  gpu.poison = poison;
  assert.is(rec.dispatchCount, 2);
  for (const v of [[1, 2, 3], [-1, 4, -2]]) {
    gpu.write(x, v);
    rec.replay();
    assert.equal(Array.from(await rec.result.read()), v.map((e) => Math.max(e, 0) * 3));
  }
  rec.dispose();
});

t('the pool never destroys a buffer that an unsubmitted command still reads', async () => {
  const gpu = await getGpu();
  const budget = gpu.pool.maxFreeBytes;
  gpu.pool.maxFreeBytes = 1024; // every release goes over budget
  try {
    const x = randn(4099, 7);
    // each step's input is released (consumed) while the pass is still open: with trimming at
    // release time those buffers were destroyed before the submit that reads them
    const y = gpu.scope(() => {
      let h = gpu.tensor(x);
      for (let i = 0; i < 6; i++) { const next = ew.scale(h, 2, 1); h.dispose(); h = next; }
      return h;
    });
    let ref = Float32Array.from(x);
    for (let i = 0; i < 6; i++) ref = unaryRef(ref, 'affine', 2, 1);
    assertClose(await y.read(), ref, { atol: 1e-4, rtol: 1e-6 });
    assert.ok(gpu.pool.freeBytes <= 1024, `trimmed after the submit (${gpu.pool.freeBytes} bytes free)`);
    y.dispose();
  } finally {
    gpu.pool.maxFreeBytes = budget;
  }
});

t('binding by name: missing and extra bindings are refused', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(4));
  await assertThrows(() => gpu.dispatch({ op: 'test', kernel: 'elementwise', entry: 'unary', buffers: { x }, uniforms: { uparams: { n: 4, op: 0, alpha: 0, beta: 0 } }, workgroups: [1] }), /needs binding 'y'/);
  await assertThrows(() => gpu.dispatch({ op: 'test', kernel: 'elementwise', entry: 'unary', buffers: { x, y: x, z: x }, uniforms: { uparams: { n: 4, op: 0, alpha: 0, beta: 0 } }, workgroups: [1] }), /no binding named 'z'/);
  await assertThrows(() => gpu.dispatch({ op: 'test', kernel: 'elementwise', entry: 'unary', buffers: { x, y: x }, uniforms: { uparams: { n: 4, op: 0, alpha: 0 } }, workgroups: [1] }), /UnaryParams.beta was not given/);
  await assertThrows(() => gpu.dispatch({ op: 'test', kernel: 'nope', buffers: {}, workgroups: [1] }), /no kernel 'nope'/);
});

t('buffers over the device limit are refused before WebGPU sees them', async () => {
  const gpu = await getGpu();
  const limit = gpu.limits.maxStorageBufferBindingSize;
  await assertThrows(() => gpu.empty([Math.floor(limit / 4) + 1], 'f32', 'conv1d'), /conv1d/, /maxStorageBufferBindingSize/, new RegExp(String(limit)));
  await assertThrows(() => gpu.empty([2, -1]), /invalid dimension -1/);
});

t('WGSL compile errors name the kernel and the line', async () => {
  const gpu = await getGpu();
  gpu.registerKernel({
    name: 'broken', code: '@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n@compute @workgroup_size(1) fn main() {\n  let a: f32 = 1u;\n  y[0] = a;\n}\n',
    entries: { main: { bindings: [{ group: 0, binding: 0, name: 'y', kind: 'storage', type: 'array' }], workgroupSize: [1, 1, 1], overrides: [] } }, structs: {},
  });
  const y = gpu.empty([1]);
  gpu.dispatch({ op: 'broken', kernel: 'broken', buffers: { y }, workgroups: [1] });
  const e = await assertThrows(() => y.read(), /broken\.wgsl:3/);
  assert.ok(e instanceof WaveGpuError);
});

t('compile errors inside an #import-ed library name the library file and line', async () => {
  const gpu = await getGpu();
  const code = '// #import fake\nfn helper() -> f32 {\n  let a: f32 = 1u;\n  return a;\n}\n@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n@compute @workgroup_size(1) fn main() { y[0] = helper(); }\n';
  gpu.registerKernel({
    name: 'broken_lib', code, structs: {},
    entries: { main: { bindings: [{ group: 0, binding: 0, name: 'y', kind: 'storage', type: 'array' }], workgroupSize: [1, 1, 1], overrides: [] } },
    lines: [[1, 'kernels/broken_lib.wgsl', 1], [2, 'kernels/lib/fake.wgsl', 40], [6, 'kernels/broken_lib.wgsl', 2]],
  });
  const y = gpu.empty([1]);
  gpu.dispatch({ op: 'broken_lib', kernel: 'broken_lib', buffers: { y }, workgroups: [1] });
  await assertThrows(() => y.read(), /kernels\/lib\/fake\.wgsl:41/, /kernel broken_lib/);
  // the built kernels carry their maps: conv1d's lines past the import come from the library
  const k = KERNELS.conv1d;
  assert.ok(k.lines!.some((r) => r[1] === 'kernels/lib/conv1d_common.wgsl'), 'conv1d expands conv1d_common in place');
  assert.is(sourceLine(k, 1), 'kernels/conv1d.wgsl:1');
});

t('device loss is reported and a new device can be made', async () => {
  const gpu = await createDevice();
  const x = gpu.tensor(new Float32Array([1]));
  gpu.device.destroy();
  await new Promise((r) => setTimeout(r, 50));
  await assertThrows(() => ew.relu(x), /device was lost/, /createDevice/);
  const fresh = await createDevice();
  assert.equal(Array.from(await ew.relu(fresh.tensor(new Float32Array([-1, 2]))).read()), [0, 2]);
  fresh.destroy();
  resetGpu();
});

t('large dispatches fold into 2-D grids', async () => {
  const gpu = await getGpu();
  const n = 256 * 65535 + 77; // more workgroups than one dimension allows
  const x = gpu.zeros([n]);
  const y = ew.scale(x, 1, 3);
  const out = await y.read();
  assert.is(out[0], 3);
  assert.is(out[n - 1], 3);
  x.dispose(); y.dispose();
});

t('profile: per-kernel time from timestamp queries, same results, replays included', async () => {
  const gpu = await getGpu();
  if (!gpu.features.has('timestamp-query')) {
    await assertThrows(() => gpu.profile(() => undefined), /timestamp-query/);
    return;
  }
  const x = randn(5000, 3);
  const xt = gpu.tensor(x);
  const b = gpu.tensor(randn(5000, 4));
  const poison = gpu.poison;
  gpu.poison = false; // poison fills would show as runtime.fill dispatches
  const rec = gpu.record(() => ew.scale(ew.relu(xt), 3));
  let y: Float32Array | undefined;
  const times = await gpu.profile(async () => {
    for (let i = 0; i < 3; i++) ew.binary(xt, b, 'add');
    rec.replay();
    y = await rec.result.read();
  });
  gpu.poison = poison;
  const byName = new Map(times.map((k) => [k.kernel, k]));
  assert.is(byName.get('elementwise.binary')?.calls, 3);
  // scale and relu are both the unary entry point: two dispatches from the replay
  assert.is(byName.get('elementwise.unary')?.calls, 2);
  assert.is(times.length, 2);
  for (const k of times) assert.ok(k.ms >= 0 && Number.isFinite(k.ms), `${k.kernel}: ${k.ms} ms`);
  for (let i = 1; i < times.length; i++) assert.ok(times[i - 1].ms >= times[i].ms, 'sorted largest first');
  assertClose(y!, unaryRef(unaryRef(x, 'relu'), 'affine', 3, 0), { atol: 1e-6, rtol: 1e-6 });
  // the profiler is detached afterwards: ordinary passes again
  const before = gpu.stats.submits;
  await ew.scale(xt, 2).read();
  assert.is(gpu.stats.submits - before, 1);
  await assertThrows(() => gpu.profile(() => { throw new Error('boom'); }), /boom/);
  rec.dispose(); xt.dispose(); b.dispose();
});

t.run();
