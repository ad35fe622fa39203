import type { ModelSpec, SpatialModelSpec } from '../../shared/model-spec';
import { kernelName, kernelTheta, learnsDistance, type DistanceKernel } from '../model/kernels/distance';
import { spatialWeightsBackward, spatialWeightsForward, type LayerGrads } from '../model/kernels/fused-spatial-weights';
import { wiringGradients, wiringValue } from '../model/kernels/wiring-cost';
import type { Arena } from './arena';
import { SpatialSimd } from './spatial-simd';

/** The parameters and their gradients, by name, as plain arrays (the engine's whole model state). */
export type ParamArrays = Map<string, Float32Array>;

/**
 * The weight matrix of one layer pair l -> l+1 as the engine's forward pass uses it, and the way
 * dL/dW flows back into the parameters it is made of.
 */
export interface LayerWeights {
  /**
   * writes W_l [n_l * n_{l+1}] (row-major) into `w`; `ptr`: w's byte address in the arena given to
   * layerWeights (then the SIMD kernels may build it, on the arena's threads)
   */
  build(w: Float32Array, ptr?: number): void;
  /** adds dL/dparams to `grads` given g = dL/dW_l (row-major like W; `ptr` as for build) */
  backward(g: Float32Array, grads: ParamArrays, ptr?: number): void;
  /**
   * Spatial layers: adds the gradient of lambda * C, C = sum_ij |W'_ij| d_ij (the wiring cost,
   * src/core/model/kernels/wiring-cost.ts), to `grads` and returns C. Uses its own buffers.
   */
  wiringCost?(lambda: number, grads: ParamArrays): number;
}

/**
 * One LayerWeights per layer pair of `spec`, reading the live values in `params`; with `arena`, spatial
 * layers the SIMD kernels cover (SpatialSimd.fits) build W' and its gradients there when given addresses.
 */
export function layerWeights(spec: ModelSpec, params: ParamArrays, arena?: Arena): LayerWeights[] {
  const out: LayerWeights[] = [];
  for (let l = 0; l + 1 < spec.layers.length; l++)
    out.push(spec.kind === 'dense' ? denseLayer(params, l, arena) : spatialLayer(spec, params, l, arena));
  return out;
}

function need(m: ParamArrays, name: string): Float32Array {
  const v = m.get(name);
  if (!v) throw new Error(`model parameter "${name}" is missing`);
  return v;
}

/** Dense: W_l is the parameter weight.l itself; dL/dweight = g (added on the SIMD kernel when both are in the arena). */
function denseLayer(params: ParamArrays, l: number, arena?: Arena): LayerWeights {
  const name = `weight.${l}`;
  return {
    build: (w) => w.set(need(params, name)),
    backward: (g, grads, ptr) => {
      const dst = need(grads, name);
      const at = arena?.addressOf(dst);
      if (at === undefined || ptr === undefined || dst.length % 4 !== 0) return addInto(dst, g);
      arena!.elementwise('add_into', [at, ptr, dst.length * 4], { floatMask: 0, ptrMask: 0b11, countIndex: 2 });
    },
  };
}

/**
 * Spatial: W'_ij = mask_i * K(d_ij) (K = 1/d unless model.distance says otherwise) built by the shared
 * typed-array kernel (spatialWeightsForward), with a learned kernel parameter dist.l getting dL/dtheta, and
 *   mask = 2 sigmoid(k v) - 1       dL/dv_i = dL/dmask_i * 2 k s_i (1 - s_i),  s = sigmoid(k v)
 *   z: relaxed zIn = z.l, zOut = z.{l+1}; learned-gap zIn = 0, zOut = gap.l (dL/dgap = sum_j dL/dzOut_j);
 *   fixed-gap zIn = 0, zOut = 1.
 */
function spatialLayer(spec: SpatialModelSpec, params: ParamArrays, l: number, arena?: Arena): LayerWeights {
  const nIn = spec.layers[l];
  const nOut = spec.layers[l + 1];
  const c = spec.dim - 1;
  const k = spec.inhibitionSteepness;
  const mask = new Float32Array(nIn);
  const sig = new Float32Array(nIn);
  const zIn = spec.zMode === 'relaxed' ? need(params, `z.${l}`) : new Float32Array(nIn);
  const zOutFixed = spec.zMode === 'relaxed' ? need(params, `z.${l + 1}`) : new Float32Array(nOut).fill(1);
  const arrays = () => {
    const v = need(params, `inhib.${l}`);
    for (let i = 0; i < nIn; i++) {
      sig[i] = 1 / (1 + Math.exp(-k * v[i]));
      mask[i] = 2 * sig[i] - 1;
    }
    if (spec.zMode === 'learned-gap') zOutFixed.fill(need(params, `gap.${l}`)[0]);
    return { pIn: need(params, `pos.${l}`), pOut: need(params, `pos.${l + 1}`), zIn, zOut: zOutFixed, mask };
  };
  const shape = { nIn, nOut, c };
  const learned = learnsDistance(spec);
  const kernel = (): DistanceKernel => ({
    name: kernelName(spec),
    theta: learned ? need(params, `dist.${l}`)[0] : kernelTheta(spec),
  });
  /** Adds one layer's input gradients d (from W' or from the wiring cost) into the parameter gradients. */
  const accumulate = (d: LayerGrads, grads: ParamArrays): void => {
    if (learned) need(grads, `dist.${l}`)[0] += d.theta;
    addInto(need(grads, `pos.${l}`), d.pIn);
    addInto(need(grads, `pos.${l + 1}`), d.pOut);
    if (spec.zMode === 'relaxed') {
      addInto(need(grads, `z.${l}`), d.zIn);
      addInto(need(grads, `z.${l + 1}`), d.zOut);
    } else if (spec.zMode === 'learned-gap') {
      let s = 0;
      for (let j = 0; j < nOut; j++) s += d.zOut[j];
      need(grads, `gap.${l}`)[0] += s;
    }
    const dv = need(grads, `inhib.${l}`);
    for (let i = 0; i < nIn; i++) dv[i] += d.mask[i] * 2 * k * sig[i] * (1 - sig[i]);
  };
  let wiring: { dist: Float32Array; f: Float32Array; w: Float32Array } | undefined;
  const simd = arena && SpatialSimd.fits(shape, kernelName(spec)) ? new SpatialSimd(arena, shape) : null;
  const eps = spec.distanceEpsilon;
  // the JavaScript kernel's distances and kernel values, made on first use
  let fwd: { dist: Float32Array; f: Float32Array } | undefined;
  const buffers = () => (fwd ??= { dist: new Float32Array(nIn * nOut), f: new Float32Array(nIn * nOut) });
  return {
    build: (w, ptr) => {
      if (simd && ptr !== undefined) simd.forward(arrays(), eps, ptr);
      else spatialWeightsForward(arrays(), shape, eps, kernel(), { ...buffers(), w });
    },
    // dist and f are still those of the last build (the forward pass of this step)
    backward: (g, grads, ptr) =>
      accumulate(
        simd && ptr !== undefined
          ? simd.backward(arrays(), eps, ptr)
          : spatialWeightsBackward(arrays(), shape, kernel(), buffers(), g),
        grads,
      ),
    wiringCost: (lambda, grads) => {
      const a = arrays();
      wiring ??= {
        dist: new Float32Array(nIn * nOut),
        f: new Float32Array(nIn * nOut),
        w: new Float32Array(nIn * nOut),
      };
      spatialWeightsForward(a, shape, spec.distanceEpsilon, kernel(), wiring);
      accumulate(wiringGradients(a, shape, kernel(), wiring, lambda), grads);
      return wiringValue(a.mask, shape, wiring);
    },
  };
}

function addInto(dst: Float32Array, src: Float32Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}
