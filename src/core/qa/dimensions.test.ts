import { describe, expect, it } from 'vitest';
import { DIMENSIONS, dimensionByCode, dimensionName, dimensionShort, isKnownDimension } from './dimensions';

describe('V2P-Bench dimensions', () => {
  it('are the 12 codes of protocol §4.1, in order, with their names', () => {
    expect(DIMENSIONS.map((d) => `${d.code} ${d.short} ${d.name}`)).toEqual([
      '1 OA Object Attribute',
      '2 HA Human Attribute',
      '3 OD Object Direction',
      '4 FM Feature Mapping',
      '5 CR Causal Relationship',
      '6 PU Plot Understanding',
      '7 CI Counterfactual Inference',
      '9 FT Forward Temporal',
      '10 RT Reverse Temporal',
      '12 AS Action Sequence',
      '13 SR Spatial Relationship',
      '14 GC General Counting',
    ]);
  });

  it('names known codes and falls back for unknown ones', () => {
    expect(dimensionName(13)).toBe('Spatial Relationship');
    expect(dimensionName(8)).toBe('Dimension 8');
    expect(dimensionName(0)).toBe('Dimension 0');
    expect(dimensionShort(14)).toBe('GC');
    expect(dimensionShort(11)).toBe('D11');
    expect(dimensionByCode(2)?.short).toBe('HA');
    expect(isKnownDimension(11)).toBe(false);
    expect(isKnownDimension(12)).toBe(true);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DIMENSIONS)).toBe(true);
    expect(Object.isFrozen(DIMENSIONS[0])).toBe(true);
  });
});
