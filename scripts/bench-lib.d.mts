/** Types of bench-lib.mjs, for the TypeScript benchmarks (run with tsx). */
import type { Browser } from '@playwright/test';

export class BenchError extends Error {}
export const CHROMIUM_ARGS: string[];
export function launchChromium(): Promise<Browser>;
export function freePort(): Promise<number>;
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T>;
export function percentile(values: readonly number[], p: number): number;
export function round(x: number, digits?: number): number;
export function prng(seed: number): () => number;
export function appBuildState(root: string, outDir: string): 'missing' | 'stale' | 'fresh';
