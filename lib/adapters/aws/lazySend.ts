/**
 * A client made on first use: cold start makes no call (the factory learns the home account lazily). A
 * failed creation is retried on the next send.
 */
export function lazySend<C extends { send(command: never): Promise<unknown> }>(make: () => Promise<C>): C {
  let client: Promise<C> | undefined;
  const send = async (command: unknown) => {
    client ??= make().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return (await client).send(command as never);
  };
  return { send } as unknown as C;
}
