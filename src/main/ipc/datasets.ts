import type { LabMethods } from '../../shared/lab-api';
import { noArgs } from '../../shared/schema/args';
import type { DomainHandlers } from './types';

/** `datasets/*`. */
export function datasetHandlers(service: LabMethods): DomainHandlers<'listDatasets'> {
  return {
    listDatasets: { args: noArgs, run: () => service.listDatasets() },
  };
}
