// What a customs or partner system's link is (server/links/<system>/), and what the receiver
// (receiver.ts) gives it. A link turns one message's text into a typed document (parse) and applies
// it inside the message's own transaction (apply): documents stored, movements declared or moved
// through MovementTx, events on the timeline, alerts to raise once committed.
import type pg from 'pg';
import type { ExternalAlert } from '../alerts/alertService';
import type { Actor, MovementTx } from '../movements/movementService';

/** The link systems, by the name in `POST /api/links/<system>` and `DATA_DIR/links/<system>/InBox`. */
export const LINK_SYSTEMS = ['manifest', 'transit', 'inspection', 'gate', 'site-ledger', 'zone', 'wms'] as const;
export type LinkSystemName = (typeof LINK_SYSTEMS)[number];

export type MessageFormat = 'xml' | 'json';

/** Who sent a message, as the server knows it from the credential (never from the message). */
export interface LinkCaller {
  /** Stored with what it sends: `http:<token>`, `user:<username>`, `inbox:<system>`, `demo`. */
  source: string;
  /** Its scope: that district and those below it (HQ: everything). */
  district: string;
  userId: number | null;
  via: 'http' | 'inbox' | 'demo';
  /** When set, the only site codes it may report on (a provisioned WMS system's sites). */
  sites?: readonly string[];
}

/** One message as parsed: the envelope's id and type, and the document the link validated. */
export interface ParsedMessage<D> {
  /** The sender's MessageID (or the document's own number where the format has no envelope id). */
  messageId: string;
  /** e.g. MT1101, MT3101, H2018-TRN, 81, SAS121. */
  messageType: string;
  /** The envelope's send time (ms), when it has one. */
  sentAt?: number;
  doc: D;
}

/** What applying a message gives back: its receipt, and what the receiver does after the commit. */
export interface LinkOutcome {
  /** Kept with the message (documents panel) and returned to the sender as the receipt. */
  summary: Record<string, unknown>;
  /** Movements this message is about (the documents panel lists the message on each). */
  movements?: number[];
  /** Raised once the transaction commits (idempotent on the episode). */
  alerts?: ExternalAlert[];
  /** Episodes whose condition this message ended (goods received, a result came). */
  clears?: { episode: string; time: number; detail?: Record<string, unknown> }[];
  /** Events stored by the message that the rules engine must hear of (seal events, gate passes). */
  events?: { kind: string; time: number; assetId: number | null; consignmentId: number | null }[];
  /** A reply the sender expects beside the receipt (the gate's 82 decision), written to OutBox too. */
  reply?: { messageType: string; body: Record<string, unknown> };
}

/** What a link's apply() may use: the message's transaction, its sender, the movement owner. */
export interface ApplyContext {
  client: pg.PoolClient;
  /** Declares and moves movements in this same transaction (MovementService.transact). */
  movements: MovementTx;
  caller: LinkCaller;
  /** How changes this message makes are audited: `link:<system>:<source>`. */
  actor: Actor;
  /** The stored message's row id (events and documents point back at it). */
  messageRowId: number;
  now: number;
}

export interface LinkSystem<D = unknown> {
  name: LinkSystemName;
  /** Message text (XML or JSON) → the message. Throws DomainError 'invalid' with the reason for the sender. */
  parse(text: string, format: MessageFormat): ParsedMessage<D>;
  /** Applies a parsed message. A DomainError refuses it (nothing of it is kept). */
  apply(ctx: ApplyContext, msg: ParsedMessage<D>): Promise<LinkOutcome>;
  /** Periodic reconciliation (NOT_RECEIVED, INSPECTION_OVERDUE): alerts whose time has come. */
  sweep?(pool: pg.Pool, now: number): Promise<ExternalAlert[]>;
}
