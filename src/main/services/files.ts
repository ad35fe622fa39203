/**
 * `saveFile` of the lab service: the transport asks where (Electron: a native save dialog), the
 * service writes the bytes atomically (temp file + rename, core's writeFileAtomic), so a crash or
 * a full disk never leaves half a figure behind.
 */
import { writeFileAtomic } from '../../core/figures/render';
import { base64ToBytes } from '../../shared/codec';
import { LabUnsupportedError } from './errors';

/** Asks the user where to save a file; resolves with an absolute path, or null when cancelled. */
export type AskSavePath = (suggestedName: string) => Promise<string | null>;

/**
 * Saves `base64` where the user chooses. Without `ask` (browser mode) it rejects: the renderer
 * downloads the file itself.
 */
export async function saveChosenFile(
  ask: AskSavePath | undefined,
  suggestedName: string,
  base64: string,
): Promise<string | null> {
  if (!ask)
    throw new LabUnsupportedError(
      'saveFile is only available in the desktop app; in the browser the file is downloaded instead',
    );
  const path = await ask(suggestedName);
  if (path === null) return null;
  writeFileAtomic(path, base64ToBytes(base64));
  return path;
}
