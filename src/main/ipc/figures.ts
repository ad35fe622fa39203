import type { LabMethods } from '../../shared/lab-api';
import { RunIdSchema, StudyIdSchema } from '../../shared/schema/api';
import { args } from '../../shared/schema/args';
import { FigureRequestSchema, StudyFigureRequestSchema } from '../../shared/schema/figures';
import type { DomainHandlers } from './types';

/** `figures/*`: publication figures of a run or a study as file bytes (the renderer saves or downloads them). */
export function figureHandlers(service: LabMethods): DomainHandlers<'renderFigure' | 'renderStudyFigure'> {
  return {
    renderFigure: {
      args: args(RunIdSchema, FigureRequestSchema),
      run: (id, request) => service.renderFigure(id, request),
    },
    renderStudyFigure: {
      args: args(StudyIdSchema, StudyFigureRequestSchema),
      run: (id, request) => service.renderStudyFigure(id, request),
    },
  };
}
