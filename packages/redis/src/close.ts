// Closing a node-redis connection without waiting on a Redis that stopped answering.
/** `client.close()`, for at most `ms` (replies in flight may arrive); then the socket is destroyed. */
export async function closeWithin(
  client: { close(): Promise<unknown>; destroy(): void },
  ms: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const closed = client.close().then(
    () => 'closed' as const,
    () => 'late' as const,
  );
  const outcome = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (outcome === 'late') client.destroy();
}
