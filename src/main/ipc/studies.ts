import type { LabMethods } from '../../shared/lab-api';
import { StudyIdSchema, StudySpecSchema } from '../../shared/schema/api';
import { args, noArgs } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

type StudyMethods = 'startStudy' | 'stopStudy' | 'listStudies' | 'getStudy' | 'deleteStudy';

/** `studies/*`: pruning studies (models x modes x rates x seeds), started, stopped and read. */
export function studyHandlers(service: LabMethods): DomainHandlers<StudyMethods> {
  return {
    startStudy: { args: args(StudySpecSchema), run: (spec) => service.startStudy(spec) },
    stopStudy: { args: args(StudyIdSchema), run: (id) => service.stopStudy(id) },
    listStudies: { args: noArgs, run: () => service.listStudies() },
    getStudy: { args: args(StudyIdSchema), run: (id) => service.getStudy(id) },
    deleteStudy: { args: args(StudyIdSchema), run: (id) => service.deleteStudy(id) },
  };
}
