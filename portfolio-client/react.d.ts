// Type declarations of @portfolio-stream/client/react (src/react.js). Needs react >= 18 and
// @tanstack/react-query 5.
import type { ReactNode, ReactElement } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Account, ClientOptions, Order, PortfolioClient, Position, Status, StatusEvent, Trade } from './portfolio-client';

export interface PortfolioStreamProviderProps {
  /** The signed-in user: the query keys are [channel, userId]. */
  userId: string;
  /** A client to run (e.g. the one the app signed in with); else one is made from options. */
  client?: PortfolioClient;
  options?: ClientOptions;
  children?: ReactNode;
}
/** Runs the client while mounted (start on mount, stop on unmount), mirrored into the surrounding QueryClient. */
export function PortfolioStreamProvider(props: PortfolioStreamProviderProps): ReactElement;

export interface PortfolioStreamState {
  connectionStatus: Status;
  statusDetail: Omit<StatusEvent, 'status'>;
  /** Epoch ms of the last contact (socket or REST), to the second; null before any. */
  lastMessageTimestamp: number | null;
  droppedMessages: number;
  client: PortfolioClient;
}
export function usePortfolioStream(): PortfolioStreamState;
export function useRealtimePositions(): UseQueryResult<Position[]>;
export function useRealtimeOrders(): UseQueryResult<Order[]>;
export function useRealtimeAccount(): UseQueryResult<Account | null>;
export function useRealtimeTrades(): UseQueryResult<Trade[]>;
