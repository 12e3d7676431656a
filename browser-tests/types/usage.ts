// Compiled (never run) by `tsc -p browser-tests/types`: what an application writes against the
// package's declarations (portfolio-client.d.ts and react.d.ts) type-checks, and their mistakes do not.
import { PortfolioClient, STATUS, connectQueryClient, messageProblem, type Order, type Changes } from '@portfolio-stream/client';
import { PortfolioStreamProvider, usePortfolioStream, useRealtimeOrders, useRealtimePositions } from '@portfolio-stream/client/react';
import { QueryClient } from '@tanstack/react-query';
import { createElement } from 'react';

const client = new PortfolioClient({ baseUrl: 'https://desk.example', idlePingMs: 1000, BroadcastChannel: null, page: null });
client.on('status', ({ status, reason }) => { const s: string = status; void s; void reason; });
client.on('orderFailed', ({ order, reason }) => { const id: string = order.orderId; void id; void reason; });
client.on('change', (changes: Changes) => { const corrected: string[] = changes.corrected; void corrected; });
const placed: Promise<Order> = client.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'limit', qty: '5', limitPrice: '170.10', timeInForce: 'day' });
void placed;
const problem: string | null = messageProblem({ type: 'pong' });
void problem;
const off: () => void = connectQueryClient(client, new QueryClient(), 'u-1');
off();
if (client.status === STATUS.CONNECTED) {
  const dropped: number = client.droppedMessages;
  void dropped;
}

function Desk() {
  const { connectionStatus, lastMessageTimestamp } = usePortfolioStream();
  const positions = useRealtimePositions();
  const orders = useRealtimeOrders();
  const first: string | undefined = positions.data?.[0]?.currentPrice;
  const optimistic: boolean = orders.data?.some(o => o.optimistic === true) ?? false;
  return createElement('p', null, `${connectionStatus} ${lastMessageTimestamp ?? ''} ${first ?? ''} ${optimistic}`);
}
createElement(PortfolioStreamProvider, { userId: 'u-1', client }, createElement(Desk));

// Mistakes the declarations catch:
// @ts-expect-error a quantity is a decimal string, never a number
client.placeOrder({ symbol: 'AAPL', side: 'buy', type: 'market', qty: 5, timeInForce: 'day' });
// @ts-expect-error there is no such status
const wrong: typeof STATUS.CONNECTED = 'online';
void wrong;
