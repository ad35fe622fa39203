import type { LabMethods } from '../../shared/lab-api';
import { args, noArgs } from '../../shared/validate';
import { studyId, studySpec } from './checks';
import type { DomainHandlers } from './types';

type StudyMethods = 'startStudy' | 'stopStudy' | 'listStudies' | 'getStudy' | 'deleteStudy';

/** `studies/*`: pruning studies (models x modes x rates x seeds), started, stopped and read. */
export function studyHandlers(service: LabMethods): DomainHandlers<StudyMethods> {
  return {
    startStudy: { args: args(studySpec), run: (spec) => service.startStudy(spec) },
    stopStudy: { args: args(studyId), run: (id) => service.stopStudy(id) },
    listStudies: { args: noArgs, run: () => service.listStudies() },
    getStudy: { args: args(studyId), run: (id) => service.getStudy(id) },
    deleteStudy: { args: args(studyId), run: (id) => service.deleteStudy(id) },
  };
}
