import type { ClientSource } from './types.js';

/** The client an adapter uses for one target (bucket name or key ARN). */
export async function clientOf<C>(source: ClientSource<C>, target: string): Promise<NonNullable<C>> {
  return (source.client ?? (await source.clientFor!(target))) as NonNullable<C>;
}
