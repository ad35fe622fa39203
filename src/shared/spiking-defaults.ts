/** Defaults of the spiking variant: declared with the config schema (./schema/run-config.ts). */
export { defaultSurrogateSlope, SPIKING_DEFAULTS } from './schema/run-config';
