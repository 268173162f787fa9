/**
 * Orders strings by UTF-16 code unit, the same in every locale and on every machine: how S3 sorts
 * configuration Ids in a list (docs/aws-facts.md §1), and the order every sorted list this service writes or shows
 * uses, so that plans, policies and files come out byte-identical run after run.
 * @example ['b', 'a', 'B'].sort(compareCodeUnits) // ['B', 'a', 'b']
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
