import type { LabMethods } from '../../shared/lab-api';
import { args } from '../../shared/validate';
import { runId } from './checks';
import { figureRequest } from './figure-checks';
import type { DomainHandlers } from './types';

/** `figures/*`: publication figures of a run as file bytes (the renderer saves or downloads them). */
export function figureHandlers(service: LabMethods): DomainHandlers<'renderFigure'> {
  return {
    renderFigure: { args: args(runId, figureRequest), run: (id, request) => service.renderFigure(id, request) },
  };
}
