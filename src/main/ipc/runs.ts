import { STOP_MODES, type LabMethods, type RunFilter, type StartRunOptions, type StopMode } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import { args, boolean, oneOf, optional } from '../../shared/validate';
import { notes, runConfig, runFilter, runId, runName, startOptions, tags } from './checks';
import type { DomainHandlers } from './types';

type RunMethods =
  | 'checkConfig'
  | 'startRun'
  | 'stopRun'
  | 'resumeRun'
  | 'listRuns'
  | 'getRun'
  | 'getRunSteps'
  | 'getRunConfigs'
  | 'renameRun'
  | 'setTags'
  | 'setNotes'
  | 'setArchived'
  | 'deleteRun';

/** `runs/*`: checking, starting, stopping and managing runs. */
export function runHandlers(service: LabMethods): DomainHandlers<RunMethods> {
  return {
    checkConfig: { args: args(runConfig), run: (config) => service.checkConfig(config) },
    startRun: {
      args: args<[RunConfig, StartRunOptions | undefined]>(runConfig, optional(startOptions)),
      run: (config, options) => service.startRun(config, options),
    },
    stopRun: {
      args: args<[string, StopMode | undefined]>(runId, optional(oneOf(...STOP_MODES))),
      run: (id, mode) => service.stopRun(id, mode),
    },
    resumeRun: { args: args(runId), run: (id) => service.resumeRun(id) },
    listRuns: {
      args: args<[RunFilter | undefined]>(optional(runFilter)),
      run: (filter) => service.listRuns(filter),
    },
    getRun: { args: args(runId), run: (id) => service.getRun(id) },
    getRunSteps: { args: args(runId), run: (id) => service.getRunSteps(id) },
    getRunConfigs: { args: args(), run: () => service.getRunConfigs() },
    renameRun: { args: args(runId, runName), run: (id, name) => service.renameRun(id, name) },
    setTags: { args: args(runId, tags), run: (id, t) => service.setTags(id, t) },
    setNotes: { args: args(runId, notes), run: (id, n) => service.setNotes(id, n) },
    setArchived: { args: args(runId, boolean), run: (id, archived) => service.setArchived(id, archived) },
    deleteRun: { args: args(runId), run: (id) => service.deleteRun(id) },
  };
}
