import type { LabMethods } from '../../shared/lab-api';
import { args } from '../../shared/schema/args';
import { FileBase64Schema, FileNameSchema } from '../../shared/schema/figures';
import type { DomainHandlers } from './types';

/** `files/*`: saving a file where the user chooses (Electron only; browser mode downloads instead). */
export function fileHandlers(service: LabMethods): DomainHandlers<'saveFile'> {
  return {
    saveFile: { args: args(FileNameSchema, FileBase64Schema), run: (name, base64) => service.saveFile(name, base64) },
  };
}
