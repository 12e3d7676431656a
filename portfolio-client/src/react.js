// React bindings (the seeds' hooks), an optional entry point: `@portfolio-stream/client/react`.
// Needs react (18 or later) and @tanstack/react-query (5) beside it; the main entry point needs neither.
// The stream keeps the TanStack Query cache fresh through connectQueryClient; the hooks read that
// cache with useQuery, so a component sees socket events, polling and reconciliation alike.
import { createContext, createElement, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { PortfolioClient, connectQueryClient, portfolioQueries } from './portfolio-client.js';

const StreamContext = createContext(null);

/**
 * Streams one signed-in user's portfolio into the QueryClient of the surrounding
 * QueryClientProvider while mounted: starts the client on mount and stops it on unmount (the
 * socket closes, the slot is freed). Props: userId (the query keys' second part), and either a
 * client (a PortfolioClient, e.g. one the app signed in with) or options to make one.
 */
export function PortfolioStreamProvider({ userId, client, options, children }) {
  const queryClient = useQueryClient();
  const [stream] = useState(() => client ?? new PortfolioClient(options));
  useEffect(() => {
    const disconnect = connectQueryClient(stream, queryClient, userId);
    stream.start();
    return () => {
      disconnect();
      stream.stop();
    };
  }, [stream, queryClient, userId]);
  const value = useStableValue(stream, userId);
  return createElement(StreamContext.Provider, { value }, children);
}

function useStableValue(client, userId) {
  const ref = useRef(null);
  if (!ref.current || ref.current.client !== client || ref.current.userId !== userId) {
    ref.current = { client, userId, queries: portfolioQueries(client, userId) };
  }
  return ref.current;
}

function useStream(hook) {
  const stream = useContext(StreamContext);
  if (!stream) {
    throw new Error(`${hook} needs a PortfolioStreamProvider above it`);
  }
  return stream;
}

/**
 * The connection: {connectionStatus ('connected' | 'connecting' | 'reconnecting' | 'polling' |
 * 'offline' | 'disabled'), statusDetail (attempt, delayMs, reason...), lastMessageTimestamp (epoch
 * ms of the last contact, socket or REST, to the second; null before any), droppedMessages,
 * client}. Re-renders when the status changes, and at most once a second as data arrives.
 */
export function usePortfolioStream() {
  const { client } = useStream('usePortfolioStream');
  return useSyncExternalStore(
    listener => {
      const offStatus = client.on('status', listener);
      const offChange = client.on('change', listener);
      return () => {
        offStatus();
        offChange();
      };
    },
    () => statusSnapshot(client),
    () => statusSnapshot(client));
}

const SNAPSHOTS = new WeakMap();

/** The same object while nothing it shows changed, as useSyncExternalStore requires. */
function statusSnapshot(client) {
  const last = SNAPSHOTS.get(client);
  const contact = client.lastContactAt();
  const lastMessageTimestamp = contact === null ? null : Math.floor(contact / 1000) * 1000;
  if (last && last.connectionStatus === client.status && last.statusDetail === client.statusDetail
    && last.lastMessageTimestamp === lastMessageTimestamp && last.droppedMessages === client.droppedMessages) {
    return last;
  }
  const snapshot = {
    connectionStatus: client.status, statusDetail: client.statusDetail, lastMessageTimestamp,
    droppedMessages: client.droppedMessages, client,
  };
  SNAPSHOTS.set(client, snapshot);
  return snapshot;
}

/**
 * One channel's data from the QueryClient: loaded from REST once if the stream has not filled it
 * yet, then kept fresh by the stream (never stale by time: staleTime Infinity).
 */
function useChannel(hook, channel) {
  const { queries } = useStream(hook);
  return useQuery({ ...queries[channel], staleTime: Infinity });
}

/** Open positions by symbol, live: the useQuery result ({data, isPending, error, ...}). */
export function useRealtimePositions() {
  return useChannel('useRealtimePositions', 'positions');
}

/** Orders newest first, live, including one being placed (optimistic: true). */
export function useRealtimeOrders() {
  return useChannel('useRealtimeOrders', 'orders');
}

/** The account (equity, buying power, cash, day P&L), live; data null when the broker has none yet. */
export function useRealtimeAccount() {
  return useChannel('useRealtimeAccount', 'account');
}

/** Today's trades newest first, live. */
export function useRealtimeTrades() {
  return useChannel('useRealtimeTrades', 'trades');
}
