/** Backend, database path and active runs for the status bar and the "latest active run" lookup. */
import { shallowRef } from 'vue';
import type { LabStatus, VersionInfo } from '../../../shared/lab-api';
import { subscribeLabEvent } from '../composables/use-lab-event';
import { host } from '../host';
import { errorMessage } from '../lib/errors';

const POLL_MS = 30_000;

const status = shallowRef<LabStatus>();
const version = shallowRef<VersionInfo>();
const error = shallowRef<string>();
let started = false;

async function refresh(): Promise<LabStatus | undefined> {
  try {
    status.value = await host().getStatus();
    error.value = undefined;
  } catch (err) {
    error.value = errorMessage(err);
  }
  return status.value;
}

function start(): void {
  if (started) return;
  started = true;
  void refresh();
  host()
    .getVersion()
    .then((v) => (version.value = v))
    .catch(() => undefined);
  // a status change is the only thing that changes the active set; the poll is a backstop
  subscribeLabEvent('run/status', () => void refresh());
  setInterval(() => void refresh(), POLL_MS);
}

export function useLabStatus() {
  start();
  return { status, version, error, refresh };
}
