/**
 * The New Run form's conversions and checks, against the engine's own validator as the oracle:
 * every preset survives config -> form -> config unchanged, the client rejects what the engine
 * rejects, and the engine's messages land on the right form field.
 */
import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../src/core/config/validate';
import { PRESETS } from '../../src/core/model/presets';
import { diffConfigs, flattenConfig } from '../../src/renderer/src/lib/config-diff';
import { errorMessage } from '../../src/renderer/src/lib/errors';
import { configToForm, fieldOfPath, formToConfig, parseLayers } from '../../src/renderer/src/lib/run-form';
import { fromIpcMessage, toIpcError } from '../../src/shared/schema/wire';
import type { FieldKey, RunForm } from '../../src/renderer/src/lib/run-form';

const quick = () => configToForm(PRESETS[0].config);
const preset = (name: string) => PRESETS.find((p) => p.name === name)!.config;

describe('run form', () => {
  it.each(PRESETS.map((p) => [p.name, p.config] as const))('round-trips preset %s exactly', (_name, config) => {
    const { config: back, errors } = formToConfig(configToForm(config));
    expect(errors).toEqual({});
    expect(back).toEqual(validateRunConfig(config));
  });

  const bad: [FieldKey, string][] = [
    ['epochs', '0'],
    ['epochs', '2.5'],
    ['batchSize', ''],
    ['learningRate', '0'],
    ['seed', '1.5'],
    ['dim', '1'],
    ['dim', '65'],
    ['inhibitionSteepness', '0'],
    ['distanceEpsilon', '-0.1'],
    ['initSpread', '0'],
    ['initInhibition', '-1'],
    ['trainSize', '0'],
    ['snapshotEvery', '0'],
    ['layers', '784'],
    ['layers', '784,-5,10'],
    ['layers', '784,100001,10'],
  ];
  it.each(bad)('rejects %s = "%s" on the client, like the engine does', (field, value) => {
    const changed: RunForm = { ...quick(), [field]: value };
    const result = formToConfig(changed);
    expect(result.config).toBeUndefined();
    expect(Object.keys(result.errors)).toEqual([field]);
  });

  const badSpiking: [FieldKey, string][] = [
    ['timeSteps', '0'],
    ['timeSteps', '1001'],
    ['timeSteps', '2.5'],
    ['beta', '-0.1'],
    ['beta', '1.5'],
    ['threshold', '0'],
    ['surrogateSlope', '0'],
  ];
  it.each(badSpiking)('rejects spiking %s = "%s" on the client, like the engine does', (field, value) => {
    const changed: RunForm = { ...configToForm(preset('snn-quick')), [field]: value };
    const result = formToConfig(changed);
    expect(result.config).toBeUndefined();
    expect(Object.keys(result.errors)).toEqual([field]);
    const spiking = { ...preset('snn-quick').model.spiking, [field]: Number(value) };
    expect(() =>
      validateRunConfig({ ...preset('snn-quick'), model: { ...preset('snn-quick').model, spiking } }),
    ).toThrow();
  });

  it('turns spiking on with the engine defaults and off again', () => {
    const on = formToConfig({ ...quick(), spiking: true }).config!;
    expect(on.model.spiking).toEqual(
      validateRunConfig({ ...PRESETS[0].config, model: { ...PRESETS[0].config.model, spiking: true } }).model.spiking,
    );
    const off = formToConfig({ ...configToForm(preset('snn-quick')), spiking: false }).config!;
    expect(off.model.spiking).toBeUndefined();
    const dense = formToConfig({
      ...configToForm(preset('snn-baseline-14')),
      learnBeta: true,
      surrogate: 'fast-sigmoid',
      encoding: 'rate',
    }).config!;
    expect(dense.model).toMatchObject({
      kind: 'dense',
      spiking: { learnBeta: true, surrogate: 'fast-sigmoid', encoding: 'rate' },
    });
    expect(formToConfig({ ...quick(), timeSteps: 'x' }).errors).toEqual({}); // hidden fields are not checked while off
  });

  it('accepts layers written the way the lab prints them', () => {
    expect(parseLayers('784-128-10')).toEqual([784, 128, 10]);
    expect(parseLayers(' 784, 128 ,10 ')).toEqual([784, 128, 10]);
  });

  it.each([
    [{ training: { epochs: 0 } }, 'epochs'],
    [{ model: { layers: [784, 0, 10] } }, 'layers'],
    [{ model: { dim: 99 } }, 'dim'],
    [{ model: { zMode: 'wobbly' } }, 'zMode'],
    [{ kernel: 'gpu' }, 'kernel'],
    [{ dataset: { trainSize: -1 } }, 'trainSize'],
    [{ training: { learningRate: -1 } }, 'learningRate'],
    [{ model: { inhibitionSteepness: 0 } }, 'inhibitionSteepness'],
    [{ model: { spiking: { timeSteps: 0 } } }, 'timeSteps'],
    [{ model: { spiking: { beta: 2 } } }, 'beta'],
    [{ model: { spiking: { threshold: 0 } } }, 'threshold'],
    [{ model: { spiking: { learnBeta: 'yes' } } }, 'learnBeta'],
    [{ model: { spiking: { learnThreshold: 1 } } }, 'learnThreshold'],
    [{ model: { spiking: { reset: 'hard' } } }, 'reset'],
    [{ model: { spiking: { surrogate: 'sigmoid' } } }, 'surrogate'],
    [{ model: { spiking: { surrogateSlope: -1 } } }, 'surrogateSlope'],
    [{ model: { spiking: { encoding: 'latency' } } }, 'encoding'],
    [{ model: { spiking: { decoding: 'max' } } }, 'decoding'],
    [{ model: { spiking: 'lots' } }, 'spiking'],
  ] as const)('maps the engine error for %j to field %s by its path', (change, field) => {
    const base = structuredClone(PRESETS[0].config) as unknown as Record<string, Record<string, unknown>>;
    for (const [k, v] of Object.entries(change)) base[k] = typeof v === 'object' ? { ...base[k], ...v } : (v as never);
    let error: unknown;
    try {
      validateRunConfig(base);
    } catch (err) {
      error = err;
    }
    // the error as the renderer receives it over IPC: tagged, wrapped by Electron, unwrapped by the host
    const wire = fromIpcMessage(`Error invoking remote method 'runs/checkConfig': Error: ${toIpcError(error).message}`);
    expect(wire).toMatchObject({ name: 'LabValidationError', message: (error as Error).message });
    expect(
      errorMessage(new Error(`Error invoking remote method 'runs/checkConfig': Error: ${toIpcError(error).message}`)),
    ).toBe((error as Error).message);
    expect(fieldOfPath(wire?.field)).toBe(field);
  });
});

describe('config diff', () => {
  it('flattens nested keys and marks differing rows', () => {
    const a = PRESETS.find((p) => p.name === 'paper-3d')!.config;
    const b = PRESETS.find((p) => p.name === 'paper-relaxed')!.config;
    expect(flattenConfig(a)['model.layers']).toBe('784,2048,10');
    const differing = diffConfigs([a, b])
      .filter((r) => r.differs)
      .map((r) => r.key);
    expect(differing).toEqual(expect.arrayContaining(['preset', 'model.zMode', 'model.distanceEpsilon']));
    expect(differing).not.toContain('training.learningRate');
  });
});
