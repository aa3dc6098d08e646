// Schemas made on first use. zod (~12 ms to load, more to build every schema) is loaded only when a file is
// actually checked: a start whose data, region config and template come from the build images never checks one.

import type * as Zod from 'zod';

/** zod's schema builders (`z`). */
export type ZodBuilders = typeof Zod.z;

/** zod's `z`, loaded on first call. */
export function zod(): ZodBuilders {
  return (require('zod') as typeof Zod).z;
}

/** A schema as the readers take it: asked for only when a value is checked. */
export type Schema<T> = () => Zod.ZodType<T, Zod.ZodTypeDef, unknown>;

/** A schema built by `make` on first use, then kept. */
export function lazySchema<T>(make: (z: ZodBuilders) => T): () => T {
  let schema: T | undefined;
  return () => (schema ??= make(zod()));
}
