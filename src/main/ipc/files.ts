import type { LabMethods } from '../../shared/lab-api';
import { args } from '../../shared/validate';
import { fileBase64, suggestedFileName } from './figure-checks';
import type { DomainHandlers } from './types';

/** `files/*`: saving a file where the user chooses (Electron only; browser mode downloads instead). */
export function fileHandlers(service: LabMethods): DomainHandlers<'saveFile'> {
  return {
    saveFile: { args: args(suggestedFileName, fileBase64), run: (name, base64) => service.saveFile(name, base64) },
  };
}
