/**
 * The transport-agnostic handlers: argument validation in front of a stub service (no store, no
 * training), the HTTP error mapping and the static-file path guard.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/store/index';
import { createLabHandlers, invokeHandler } from '../../src/main/ipc/handlers';
import { errorStatus } from '../../src/main/server/errors';
import { resolveStaticPath } from '../../src/main/server/static';
import { LabStateError } from '../../src/main/services/errors';
import { LAB_METHODS, type LabMethod, type LabMethods } from '../../src/shared/lab-api';
import { LabValidationError } from '../../src/shared/schema/errors';
import { tinyConfig } from './helpers';

/** A service that records the (validated) arguments it receives. */
function stubService(): { service: LabMethods; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const service = Object.fromEntries(
    LAB_METHODS.map((m) => [m, async (...a: unknown[]) => (calls.push([m, a]), `${m}-result`)]),
  ) as unknown as LabMethods;
  return { service, calls };
}

const { service, calls } = stubService();
const handlers = createLabHandlers(service);
const call = (method: LabMethod, ...raw: unknown[]): Promise<unknown> => invokeHandler(handlers, method, raw);

describe('lab handlers', () => {
  it('has a handler for every contract method', () => {
    expect(Object.keys(handlers).sort()).toEqual([...LAB_METHODS].sort());
  });

  it('passes valid arguments through, with the run config normalised', async () => {
    const config = tinyConfig();
    const { kernel: _k, snapshotEvery: _s, ...partial } = config;
    await expect(call('startRun', partial, { name: 'n', tags: ['t'] })).resolves.toBe('startRun-result');
    expect(calls.at(-1)).toEqual(['startRun', [config, { name: 'n', tags: ['t'] }]]);
    await call('listRuns');
    expect(calls.at(-1)).toEqual(['listRuns', [undefined]]);
    await call('listRuns', { status: 'failed', includeArchived: true, limit: 5 });
    expect(calls.at(-1)).toEqual(['listRuns', [{ status: 'failed', includeArchived: true, limit: 5 }]]);
    await call('getSnapshot', 'r123', 0);
    expect(calls.at(-1)).toEqual(['getSnapshot', ['r123', 0]]);
  });

  it('refuses bad arguments, naming where they are wrong', async () => {
    const n = calls.length;
    await expect(call('getRun', 'x'.repeat(65))).rejects.toThrow(
      /arg0 must be a run id \(a non-empty string of at most 64 characters\), got "xxx/,
    );
    await expect(call('getRun', '')).rejects.toMatchObject({ message: /arg0 must be a run id/, field: 'arg0' });
    await expect(call('getRun', 'r1', 'extra')).rejects.toBeInstanceOf(LabValidationError);
    await expect(call('setTags', 'r1', ['ok', 3])).rejects.toMatchObject({ field: 'arg1[1]' });
    await expect(call('setTags', 'r1', Array(65).fill('t'))).rejects.toThrow(/arg1 must be a list of at most 64 tags/);
    await expect(call('setArchived', 'r1', 'yes')).rejects.toThrow(/arg1 must be true or false, got "yes"/);
    await expect(call('listRuns', { status: 'done' })).rejects.toMatchObject({
      message: /arg0\.status must be one of 'queued', 'running', .*got "done"/,
      field: 'arg0.status',
    });
    await expect(call('listRuns', { sort: 'name' })).rejects.toThrow(/arg0\.sort: unknown field \(allowed: search,/);
    await expect(call('listRuns', null)).rejects.toThrow(/arg0 must be an object, got null/);
    await expect(call('getSnapshot', 'r1', 1.5)).rejects.toThrow(/arg1 must be an integer from 0 to 1000000, got 1.5/);
    await expect(call('startRun', tinyConfig(), { tags: 'x' })).rejects.toThrow(/arg1\.tags must be a list/);
    await expect(call('stopRun', 'r1', 'later')).rejects.toThrow(/arg1 must be one of 'now', 'epoch'/);
    await expect(call('checkConfig', { ...tinyConfig(), training: { epochs: 1 } })).rejects.toMatchObject({
      name: 'LabValidationError',
      field: 'training.batchSize',
    });
    expect(calls.length).toBe(n); // nothing reached the service
  });
});

describe('HTTP error mapping', () => {
  it('maps error kinds to statuses', () => {
    expect(errorStatus(new LabValidationError('x'))).toBe(400);
    expect(errorStatus(Object.assign(new Error('x'), { name: 'ConfigError' }))).toBe(400);
    expect(errorStatus(Object.assign(new Error('x'), { name: 'DatasetError' }))).toBe(400);
    expect(errorStatus(new StoreError('not-found', 'x'))).toBe(404);
    expect(errorStatus(new StoreError('ambiguous', 'x'))).toBe(400);
    expect(errorStatus(new StoreError('closed', 'x'))).toBe(503);
    expect(errorStatus(new LabStateError('x'))).toBe(409);
    expect(errorStatus(new Error('x'))).toBe(500);
  });
});

describe('static path guard', () => {
  const root = '/srv/renderer';
  it('maps paths inside the root and refuses the rest', () => {
    expect(resolveStaticPath(root, '/')).toBe('/srv/renderer/index.html');
    expect(resolveStaticPath(root, '/assets/a.js')).toBe('/srv/renderer/assets/a.js');
    expect(resolveStaticPath(root, '/../etc/passwd')).toBeNull();
    expect(resolveStaticPath(root, '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveStaticPath(root, '/assets/..%2f..%2f..%2fetc/passwd')).toBeNull();
    expect(resolveStaticPath(root, '/a%00.js')).toBeNull();
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeNull();
    expect(resolveStaticPath(root, '/..\\..\\x')).toBeNull();
  });
});
