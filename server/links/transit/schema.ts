// The transit declaration (H2018 转关) messages as zod schemas.
//
// Field names follow the H2018 declaration's transit part as public code shows it: TrnHead
// {TrnPreId, TransNo, TurnNo, NativeTrafMode, TrafCustomsNo, NativeShipName, NativeVoyageNo,
// ContractorName, ContractorCode, TransFlag, ValidTime, ESealFlag, Notes, TrnType}, TrnList
// {TrafMode, ShipId, ShipNameEn, VoyageNo, BillNo, IEDate}, TrnContainers/TrnContainer {ContaNo,
// ContaModel, SealNo}. In H2018 these ride inside DecMessage (http://www.chinaport.gov.cn/dec) under
// the DXP envelope, whose CopMsgId is the message id; no standalone transit envelope is public, so
// this link takes them in an envelope like the manifest's: root <TransitMessage> with
// Head{MessageID, MessageType, SenderID, ReceiverID, SendTime}. What TrnHead lacks for a movement
// is added beside its fields and named here: IEPort (origin customs, the DecHead field of that
// name), DestCustoms (destination customs), OriginSite and DestSite (the supervised sites' codes).
// MessageType names the step: TrnDeclaration, TrnRelease (放行), TrnWriteOff (核销), TrnCancel (撤销).
import { z } from 'zod';
import { customsTime, optText, text, many } from '../fields';

export const TRANSIT_ROOT = 'TransitMessage';
export const TRANSIT_ARRAYS = ['TrnList', 'TrnContainer'] as const;
export const TRANSIT_MESSAGE_TYPES = ['TrnDeclaration', 'TrnRelease', 'TrnWriteOff', 'TrnCancel'] as const;
export type TransitMessageType = (typeof TRANSIT_MESSAGE_TYPES)[number];

/** A 4-digit customs district code (关区代码). */
const customsCode = text(4).pipe(z.string().regex(/^\d{4}$/, 'a 4-digit customs code'));
const siteCode = text(32).pipe(z.string().regex(/^[A-Za-z0-9_-]+$/, 'a site code (letters, digits, - and _)'));
const preId = text(32).pipe(z.string().regex(/^[A-Za-z0-9-]+$/, 'letters, digits and -'));
/** yyyyMMdd (a date, as IEDate) → 'yyyy-MM-dd'. */
const ieDate = optText(8).pipe(
  z
    .string()
    .regex(/^\d{8}$/, 'a date as yyyyMMdd')
    .transform((d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`)
    .refine((d) => !Number.isNaN(Date.parse(d)), 'not a calendar date')
    .optional(),
);
/** ValidTime: a customs time, or a bare date yyyyMMdd meaning the end of that day in Beijing. */
const validTime = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = String(v).trim();
  const day = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (day) {
    const t = Date.parse(`${day[1]}-${day[2]}-${day[3]}T23:59:59+08:00`);
    if (!Number.isNaN(t)) return t;
  }
  const r = customsTime.safeParse(s);
  if (r.success) return r.data;
  ctx.addIssue({ code: 'custom', message: 'a time as yyyyMMddHHmmss[SSS] (Beijing), yyyyMMdd or ISO 8601 with an offset' });
  return z.NEVER;
});

export const Head = z.object({
  MessageID: text(64),
  MessageType: z.enum(TRANSIT_MESSAGE_TYPES, { message: `one of ${TRANSIT_MESSAGE_TYPES.join(', ')}` }),
  SenderID: optText(64),
  ReceiverID: optText(64),
  SendTime: customsTime.optional(),
});

export const DeclarationHead = z.object({
  TrnPreId: preId,
  TurnNo: optText(32),
  TransNo: optText(32),
  TransFlag: optText(4),
  TrnType: optText(4),
  NativeTrafMode: optText(2),
  TrafCustomsNo: optText(32),
  /** 境内运输工具名称: for a truck, its plate. */
  NativeShipName: optText(64),
  NativeVoyageNo: optText(32),
  ContractorCode: optText(32),
  ContractorName: optText(100),
  ESealFlag: optText(1).pipe(z.enum(['0', '1']).optional()),
  ValidTime: validTime,
  Notes: optText(255),
  IEPort: customsCode,
  DestCustoms: customsCode,
  OriginSite: siteCode,
  DestSite: siteCode,
});

export const TrnListItem = z.object({
  BillNo: text(64),
  TrafMode: optText(2),
  ShipId: optText(32),
  ShipNameEn: optText(100),
  VoyageNo: optText(32),
  IEDate: ieDate,
});

export const TrnContainer = z.object({
  ContaNo: text(16).pipe(z.string().regex(/^[A-Z]{4}\d{7}$/, 'a container number (ISO 6346, e.g. MSKU1234565)')),
  ContaModel: optText(8),
  SealNo: optText(32),
});

export const DeclarationMessage = z.object({
  Head,
  TrnHead: DeclarationHead,
  TrnList: many(TrnListItem).refine((a) => a.length >= 1 && a.length <= 500, 'between 1 and 500 bills'),
  // An empty <TrnContainers/> reads as '' (bulk cargo: no containers).
  TrnContainers: z
    .union([z.literal('').transform(() => undefined), z.object({ TrnContainer: many(TrnContainer).refine((a) => a.length <= 500, 'at most 500 containers') })])
    .optional(),
});

/** Release (放行: the customs transit number), write-off (核销) and cancel (撤销) name the declaration. */
export const StepMessage = z.object({
  Head,
  TrnHead: z.object({
    TrnPreId: preId,
    TurnNo: optText(32),
    Notes: optText(255),
  }),
});

export interface TransitDeclarationDoc {
  kind: 'declaration';
  head: z.output<typeof DeclarationHead>;
  bills: z.output<typeof TrnListItem>[];
  containers: z.output<typeof TrnContainer>[];
}

export interface TransitStepDoc {
  kind: 'release' | 'writeoff' | 'cancel';
  preId: string;
  turnNo?: string;
  notes?: string;
}

export type TransitDoc = TransitDeclarationDoc | TransitStepDoc;
