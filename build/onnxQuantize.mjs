/**
 * Dynamic int8 quantisation of an ONNX model's MatMul weights, in the form onnxruntime's
 * quantize_dynamic (Python) writes (QOperator): each MatMul whose second input is a large 2-D float
 * initializer becomes
 *
 *   DynamicQuantizeLinear(A) -> MatMulInteger(A_q, W_q, A_zp, W_zp) -> Cast(float) -> Mul(A_scale * W_scale)
 *
 * with W_q per-tensor symmetric int8 (scale = max|W| / 127, zero point 0) and the activations
 * quantised to uint8 at run time. Conv, Gemm and the attention MatMuls (two activations) stay fp32.
 * Re-implemented here because the Python tools are not part of this project's toolchain (npm only);
 * the model is read and written with onnx-proto (onnx.proto compiled for protobufjs).
 *
 * The output depends only on the input bytes and the options (no time, no randomness, fields
 * written in schema order), so the same input always gives the same file.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT8 = onnx.TensorProto.DataType.INT8;

/** quantize_dynamic's default too: smaller weights cost more in run-time quantisation than they save. */
export const MIN_WEIGHT_ELEMENTS = 16384;

const toNumber = (v) => (typeof v === 'number' ? v : v.toNumber());

/** The float32 values of a tensor stored as raw_data (copied: raw_data need not be 4-byte aligned). */
function floatsOf(tensor) {
  const bytes = new Uint8Array(tensor.rawData.length);
  bytes.set(tensor.rawData);
  return new Float32Array(bytes.buffer);
}

/** Per-tensor symmetric int8, as quantize_dynamic does for weights (range [-127, 127], zero point 0). */
export function quantizeSymmetric(values) {
  let maxAbs = 0;
  for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
  // The scale the model stores is a float32: quantise with that one (weights so small that it
  // would underflow to 0 become zeros with scale 1).
  const scale = Math.fround(maxAbs / 127) || 1;
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(values[i] / scale)));
  return { q, scale };
}

const tensor = (name, dataType, dims, bytes) => onnx.TensorProto.create({ name, dataType, dims, rawData: bytes });

/**
 * Rewrites every MatMul of the main graph whose weight (second input) is a 2-D float32 initializer
 * of at least `minElements` values; the float weights no other node reads are dropped.
 * `metadata` entries are added to the model's metadata_props (e.g. where it came from).
 */
export function quantizeMatMuls(modelBytes, { minElements = MIN_WEIGHT_ELEMENTS, metadata = {} } = {}) {
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph;
  if (!graph) throw new Error('The model has no graph');
  const initializers = new Map(graph.initializer.map((t) => [t.name, t]));
  const reads = new Map();
  for (const node of graph.node) for (const input of node.input) reads.set(input, (reads.get(input) ?? 0) + 1);

  const weightOf = (node) => {
    if (node.opType !== 'MatMul' || node.domain !== '' || node.input.length !== 2) return null;
    const w = initializers.get(node.input[1]);
    if (!w || w.dataType !== FLOAT || w.dims.length !== 2 || w.rawData.length === 0) return null;
    return toNumber(w.dims[0]) * toNumber(w.dims[1]) >= minElements ? w : null;
  };

  const replaced = new Map(); // weight name -> MatMuls rewritten to read its int8 copy
  const added = [];
  let params = 0;
  const nodes = [];
  for (const node of graph.node) {
    const w = weightOf(node);
    if (w === null) {
      nodes.push(node);
      continue;
    }
    const [a, wName] = node.input;
    const y = node.output[0];
    const name = node.name || y;
    if (!replaced.has(wName)) {
      const { q, scale } = quantizeSymmetric(floatsOf(w));
      added.push(
        tensor(`${wName}_quantized`, INT8, w.dims, new Uint8Array(q.buffer)),
        tensor(`${wName}_zero_point`, INT8, [], new Uint8Array(1)),
        tensor(`${wName}_scale`, FLOAT, [], new Uint8Array(Float32Array.of(scale).buffer)),
      );
      replaced.set(wName, 0);
      params += q.length;
    }
    replaced.set(wName, replaced.get(wName) + 1);
    const make = (opType, input, output, suffix, attribute = []) => onnx.NodeProto.create({ input, output, name: `${name}_${suffix}`, opType, attribute });
    nodes.push(
      make('DynamicQuantizeLinear', [a], [`${y}_a_q`, `${y}_a_scale`, `${y}_a_zp`], 'quant'),
      make('MatMulInteger', [`${y}_a_q`, `${wName}_quantized`, `${y}_a_zp`, `${wName}_zero_point`], [`${y}_int32`], 'MatMulInteger'),
      make('Cast', [`${y}_int32`], [`${y}_float`], 'cast', [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT })]),
      make('Mul', [`${y}_a_scale`, `${wName}_scale`], [`${y}_scale`], 'scale'),
      make('Mul', [`${y}_float`, `${y}_scale`], [y], 'rescale'),
    );
  }
  const dropped = new Set([...replaced].filter(([wName, n]) => n === reads.get(wName)).map(([wName]) => wName));
  graph.node = nodes;
  graph.initializer = [...graph.initializer.filter((t) => !dropped.has(t.name)), ...added];
  model.metadataProps = [...model.metadataProps, ...Object.entries(metadata).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value }))];
  const matmuls = [...replaced.values()].reduce((s, n) => s + n, 0);
  return { bytes: onnx.ModelProto.encode(model).finish(), matmuls, weights: replaced.size, params };
}

/**
 * A one-node model Y[m,n] = X[m,k] W[k,n] with the given weights, fp32 (`int8: false`) or as
 * quantizeMatMuls writes it: for micro-benchmarks of the matrix products alone.
 */
export function matMulModel({ m, k, n }, weights, { int8 }) {
  const io = (name, dims) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } } });
  const graph = onnx.GraphProto.create({
    name: 'matmul',
    node: [onnx.NodeProto.create({ input: ['X', 'W'], output: ['Y'], name: 'MatMul_Y', opType: 'MatMul' })],
    initializer: [tensor('W', FLOAT, [k, n], new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength))],
    input: [io('X', [m, k])],
    output: [io('Y', [m, n])],
  });
  const fp32 = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 17 }], graph })).finish();
  return int8 ? quantizeMatMuls(fp32, { minElements: 0 }).bytes : fp32;
}
