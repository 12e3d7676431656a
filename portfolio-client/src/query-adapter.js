// The TanStack Query adapter: the client's cache mirrored into a QueryClient, per user.

/**
 * Mirrors the client's cache into a TanStack Query client under ['positions', userId],
 * ['orders', userId], ['account', userId] and ['trades', userId], on every change (socket events,
 * snapshots, polling, reconciliation); a key is written only when its channel changed. Returns
 * the way to stop.
 */
export function connectQueryClient(client, queryClient, userId) {
  const write = changes => {
    const view = client.view();
    const touched = key => changes === null || changes[key] === true
      || (Array.isArray(changes[key]) && changes[key].length > 0) || changes.replaced.includes(key);
    for (const key of ['positions', 'orders', 'account', 'trades']) {
      if (touched(key)) {
        queryClient.setQueryData([key, userId], view[key]);
      }
    }
  };
  write(null);
  return client.on('change', write);
}

/** Query options whose queryFn reads REST through the client, for a cache the stream keeps fresh. */
export function portfolioQueries(client, userId) {
  const api = client.api;
  return {
    positions: { queryKey: ['positions', userId], queryFn: () => api.getJson('/api/positions') },
    orders: { queryKey: ['orders', userId], queryFn: () => api.getJson('/api/orders?status=all') },
    account: { queryKey: ['account', userId], queryFn: () => api.getJson('/api/account', { allowMissing: true }) },
    trades: { queryKey: ['trades', userId], queryFn: () => api.getJson('/api/trades') },
  };
}
