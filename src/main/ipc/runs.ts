import * as v from 'valibot';
import type { LabMethods } from '../../shared/lab-api';
import {
  NotesSchema,
  RunFilterSchema,
  RunIdSchema,
  RunNameSchema,
  StartRunOptionsSchema,
  TagsSchema,
} from '../../shared/schema/api';
import { args, noArgs, runConfigArg } from '../../shared/schema/args';
import { STOP_MODES } from '../../shared/schema/enums';
import { bool, oneOf } from '../../shared/schema/fields';
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
    checkConfig: { args: args(runConfigArg), run: (config) => service.checkConfig(config) },
    startRun: {
      args: args(runConfigArg, v.optional(StartRunOptionsSchema)),
      run: (config, options) => service.startRun(config, options),
    },
    stopRun: {
      args: args(RunIdSchema, v.optional(oneOf(STOP_MODES))),
      run: (id, mode) => service.stopRun(id, mode),
    },
    resumeRun: { args: args(RunIdSchema), run: (id) => service.resumeRun(id) },
    listRuns: { args: args(v.optional(RunFilterSchema)), run: (filter) => service.listRuns(filter) },
    getRun: { args: args(RunIdSchema), run: (id) => service.getRun(id) },
    getRunSteps: { args: args(RunIdSchema), run: (id) => service.getRunSteps(id) },
    getRunConfigs: { args: noArgs, run: () => service.getRunConfigs() },
    renameRun: { args: args(RunIdSchema, RunNameSchema), run: (id, name) => service.renameRun(id, name) },
    setTags: { args: args(RunIdSchema, TagsSchema), run: (id, t) => service.setTags(id, t) },
    setNotes: { args: args(RunIdSchema, NotesSchema), run: (id, n) => service.setNotes(id, n) },
    setArchived: { args: args(RunIdSchema, bool()), run: (id, archived) => service.setArchived(id, archived) },
    deleteRun: { args: args(RunIdSchema), run: (id) => service.deleteRun(id) },
  };
}
