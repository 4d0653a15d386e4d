// Builds transit declaration messages (schema.ts) from plain objects: the demo generator sends
// realistic declarations, releases, write-offs and cancels with these, and the tests use them.
import { buildXml } from '../buildXml';
import { customsTimeString } from '../fields';
import { TRANSIT_ROOT, type TransitMessageType } from './schema';

export const TRANSIT_NAMESPACE = 'urn:transitwatch:h2018:trn';

export interface TransitEnvelope {
  messageId: string;
  /** ms; written as yyyyMMddHHmmssSSS Beijing time. Default: now. */
  sentAt?: number;
  senderId?: string;
  receiverId?: string;
}

export interface TransitDeclarationInput extends TransitEnvelope {
  preId: string;
  /** The vehicle's plate (TrnHead/NativeShipName) and/or its customs vehicle number (TrafCustomsNo). */
  plate?: string;
  trafCustomsNo?: string;
  originCustoms: string;
  destCustoms: string;
  originSite: string;
  destSite: string;
  /** The deadline, ms. */
  validTime: number;
  transNo?: string;
  transFlag?: string;
  trnType?: string;
  /** NativeTrafMode; default '4' (road). */
  trafMode?: string;
  contractorCode?: string;
  contractorName?: string;
  /** ESealFlag; default: true when a container carries a seal. */
  eSeal?: boolean;
  notes?: string;
  bills: { billNo: string; shipId?: string; shipNameEn?: string; voyageNo?: string; trafMode?: string; /** yyyyMMdd */ ieDate?: string }[];
  containers?: { containerNo: string; model?: string; sealNo?: string }[];
}

export interface TransitStepInput extends TransitEnvelope {
  preId: string;
  /** The customs transit number (required for a release). */
  turnNo?: string;
  notes?: string;
}

const head = (e: TransitEnvelope, type: TransitMessageType) => ({
  MessageID: e.messageId,
  MessageType: type,
  SenderID: e.senderId,
  ReceiverID: e.receiverId ?? 'EPORT',
  SendTime: customsTimeString(e.sentAt ?? Date.now()),
});

export function buildTransitDeclaration(d: TransitDeclarationInput): string {
  const containers = d.containers ?? [];
  return buildXml(TRANSIT_ROOT, TRANSIT_NAMESPACE, {
    Head: head(d, 'TrnDeclaration'),
    TrnHead: {
      TrnPreId: d.preId,
      TransNo: d.transNo,
      NativeTrafMode: d.trafMode ?? '4',
      TrafCustomsNo: d.trafCustomsNo,
      NativeShipName: d.plate,
      ContractorName: d.contractorName,
      ContractorCode: d.contractorCode,
      TransFlag: d.transFlag,
      ValidTime: customsTimeString(d.validTime).slice(0, 14),
      ESealFlag: (d.eSeal ?? containers.some((k) => k.sealNo)) ? '1' : '0',
      Notes: d.notes,
      TrnType: d.trnType,
      IEPort: d.originCustoms,
      DestCustoms: d.destCustoms,
      OriginSite: d.originSite,
      DestSite: d.destSite,
    },
    TrnList: d.bills.map((b) => ({ TrafMode: b.trafMode, ShipId: b.shipId, ShipNameEn: b.shipNameEn, VoyageNo: b.voyageNo, BillNo: b.billNo, IEDate: b.ieDate })),
    TrnContainers: containers.length ? { TrnContainer: containers.map((k) => ({ ContaNo: k.containerNo, ContaModel: k.model, SealNo: k.sealNo })) } : undefined,
  });
}

function step(type: TransitMessageType, s: TransitStepInput): string {
  return buildXml(TRANSIT_ROOT, TRANSIT_NAMESPACE, { Head: head(s, type), TrnHead: { TrnPreId: s.preId, TurnNo: s.turnNo, Notes: s.notes } });
}

/** 放行: the declaration is released for transit under its transit number. */
export const buildTransitRelease = (s: TransitStepInput & { turnNo: string }): string => step('TrnRelease', s);
/** 核销: the transit is written off (closes the movement). */
export const buildTransitWriteOff = (s: TransitStepInput): string => step('TrnWriteOff', s);
/** 撤销: the declaration is withdrawn (cancels the movement). */
export const buildTransitCancel = (s: TransitStepInput): string => step('TrnCancel', s);
