import type { LabMethods } from '../../shared/lab-api';
import { args } from '../../shared/validate';
import { runId, studyId } from './checks';
import { figureRequest, studyFigureRequest } from './figure-checks';
import type { DomainHandlers } from './types';

/** `figures/*`: publication figures of a run or a study as file bytes (the renderer saves or downloads them). */
export function figureHandlers(service: LabMethods): DomainHandlers<'renderFigure' | 'renderStudyFigure'> {
  return {
    renderFigure: { args: args(runId, figureRequest), run: (id, request) => service.renderFigure(id, request) },
    renderStudyFigure: {
      args: args(studyId, studyFigureRequest),
      run: (id, request) => service.renderStudyFigure(id, request),
    },
  };
}
