/** Worker entry: DAVIS index-map PNGs of an export, off the UI thread (adapters/files/davisPngs.ts). */
import { expose, transfer } from 'comlink';
import type { DavisPng, DavisPngRequest } from '../core/formats/davisIndex';
import { encodeDavisPngs } from '../adapters/files/davisPngs';

const exporter = {
  davisPngs(request: DavisPngRequest): DavisPng[] {
    const pngs = encodeDavisPngs(request);
    // The PNGs are handed over, not copied.
    return transfer(pngs, pngs.map((p) => p.png.buffer as ArrayBuffer));
  },
};

export type MaskExporter = typeof exporter;

expose(exporter);
