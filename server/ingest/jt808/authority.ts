// Who may log in as a JT/T 808 terminal. The session asks an authority at 0x0100 (registration)
// and 0x0102 (authentication) and reports under the identity it returns; nothing else decides
// whether a terminal's fixes are trusted. The server uses the provisioned-devices store
// (server/devices/jt808Authority.ts); tests, the bench and replays may use the in-memory
// Jt808TerminalRegistry. Answers may be synchronous or a promise: the session holds the frames
// that follow until it has one, so their order is kept.
import type { Jt808Registration } from './messages';

/** 0x8100 results (JT/T 808-2013 §8.5). */
export const REGISTER_RESULT = {
  OK: 0,
  VEHICLE_REGISTERED: 1, //  车辆已被注册
  NO_SUCH_VEHICLE: 2, //     数据库中无该车辆
  TERMINAL_REGISTERED: 3, // 终端已被注册
  NO_SUCH_TERMINAL: 4, //    数据库中无该终端
} as const;

export type Jt808RegisterOutcome = { result: typeof REGISTER_RESULT.OK; authCode: string } | { result: 1 | 2 | 3 | 4 };

/** The asset a terminal reports as, once authenticated. */
export interface Jt808Identity {
  assetKey: string;
  /** Given as the label of the first report after authentication (the plate). */
  label?: string;
  /** The provisioned device, when there is one (revocation ends its sessions). */
  deviceId?: number;
  /** Accepted without a record of the code (the in-memory registry's acceptUnknownAuthCodes). */
  unverified?: boolean;
}

export type Jt808AuthOutcome = { ok: true; identity: Jt808Identity } | { ok: false };

type MaybePromise<T> = T | Promise<T>;

export interface Jt808Authority {
  /** 0x0100 from `phone` (the header's BCD digits) at `peer` (address:port). */
  register(phone: string, registration: Jt808Registration, peer?: string): MaybePromise<Jt808RegisterOutcome>;
  /** 0x0102: whether `code` authenticates `phone`, and as what. */
  authenticate(phone: string, code: string, peer?: string): MaybePromise<Jt808AuthOutcome>;
  /** A fix was accepted from an authenticated terminal (last-contact bookkeeping; must be cheap). */
  contact?(identity: Jt808Identity, peer?: string): void;
  /** Hear of devices revoked or reset, to close their connections; returns the unsubscribe. */
  onRevoked?(fn: (deviceId: number) => void): () => void;
}
