/**
 * Freezes a value and everything it holds, so that a test can prove a function never changes its inputs:
 * any write to a frozen input throws in strict mode (every ES module). Returns the same value.
 * Members are frozen even when their holder already is; shared or cyclic members are visited once.
 */
export function deepFreeze<T>(value: T): T {
  freezeAll(value, new WeakSet());
  return value;
}

function freezeAll(value: unknown, seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  for (const member of Object.values(value)) freezeAll(member, seen);
  Object.freeze(value);
}
