// SAS121 (核放单) and SAS223 (过卡回执) text → one typed document. Both come whole
// (Signature/Object/Package/… for SAS121 as the enterprise signs it, Package/… for SAS223 as the
// customs sends it), or as the Package alone, or as the business data alone (BussinessData, or its
// content: PassPortMessage / SAS223) when the sender's system has already taken the envelope off;
// JSON carries the same object. Without an envelope the MessageID is the passport's own number.
import { invalid } from '../../errors';
import type { MessageFormat, ParsedMessage } from '../types';
import { describeIssues, readMessage } from '../xml';
import { EnvelopInfo, REPEATING, Sas121Business, Sas223Business, type Passport, type PassReceipt, type ZoneDocument } from './schema';

const ROOTS = ['Signature', 'Package', 'BussinessData', 'PassPortMessage', 'SAS223'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The name of the XML document's root element (its local name), from the text. */
function xmlRoot(text: string): string {
  const m = /^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text);
  return m?.[1] ?? '';
}

/** The message as {envelope?, business}, whichever of the accepted wrappings it came in. */
function unwrap(text: string, format: MessageFormat): { envelope?: unknown; business: Record<string, unknown> } {
  let top: Record<string, unknown>;
  if (format === 'xml') {
    const root = xmlRoot(text);
    if (!(ROOTS as readonly string[]).includes(root)) throw invalid(`message: the root element must be one of <${ROOTS.join('>, <')}> (not <${root}>)`);
    top = { [root]: readMessage(text, 'xml', root, REPEATING) };
  } else {
    // JSON: the root's content under its name, or bare (readMessage gives the top object then).
    top = readMessage(text, 'json', 'Signature', REPEATING);
    if (!ROOTS.some((r) => r in top) && !('Object' in top) && !('EnvelopInfo' in top) && !('DataInfo' in top)) top = { BussinessData: top };
  }
  let cur: unknown = top;
  const step = (name: string) => {
    if (isObject(cur) && name in cur) cur = cur[name];
  };
  step('Signature');
  step('Object');
  step('Package');
  const envelope = isObject(cur) ? cur.EnvelopInfo : undefined;
  step('DataInfo');
  step('BussinessData');
  if (!isObject(cur)) throw invalid('BussinessData: expected PassPortMessage (SAS121) or SAS223');
  return { envelope, business: cur };
}

export function parseZoneMessage(text: string, format: MessageFormat): ParsedMessage<ZoneDocument> {
  const { envelope, business } = unwrap(text, format);
  let env: EnvelopInfo | undefined;
  if (envelope !== undefined) {
    const r = EnvelopInfo.safeParse(envelope);
    if (!r.success) throw invalid(describeIssues(r.error.issues.map((i) => ({ ...i, path: ['EnvelopInfo', ...i.path] }))));
    env = r.data;
  }
  if ('PassPortMessage' in business) {
    const r = Sas121Business.safeParse(business);
    if (!r.success) throw invalid(describeIssues(r.error.issues));
    const h = r.data.PassPortMessage.PassportHead;
    if (env?.message_type && env.message_type !== 'SAS121') throw invalid(`EnvelopInfo.message_type: ${env.message_type} does not carry a PassPortMessage (SAS121)`);
    const passport: Passport = {
      passportNo: h.passportNo,
      type: Number(h.passportTypecd),
      bindType: h.bindTypecd ? Number(h.bindTypecd) : null,
      relatedType: h.rltTbTypecd ? Number(h.rltTbTypecd) : null,
      relatedNo: h.rltNo ?? null,
      io: h.ioTypecd === 'I' ? 'in' : 'out',
      plate: h.vehicleNo,
      containers: h.containerNo,
      vehicleWt: h.vehicleWt ?? null,
      grossWt: h.totalGrossWt ?? null,
      totalWt: h.totalWt ?? null,
      masterCustoms: h.masterCuscd,
      areaCode: h.areaCode ?? h.masterCuscd,
      cancelled: h.dclTypecd === '3' || h.stucd === '5' || h.stucd === '6',
      declaredAt: h.dclTime ?? null,
      goodsLines: r.data.PassPortMessage.PassportList?.length ?? 0,
    };
    return {
      messageId: env?.message_id ?? `SAS121-${h.passportNo}${h.dclTypecd === '3' ? '-3' : ''}`,
      messageType: 'SAS121',
      ...(env?.send_time !== undefined && { sentAt: env.send_time }),
      doc: { kind: 'passport', passport },
    };
  }
  if ('SAS223' in business) {
    const r = Sas223Business.safeParse(business);
    if (!r.success) throw invalid(describeIssues(r.error.issues));
    if (env?.message_type && env.message_type !== 'SAS223') throw invalid(`EnvelopInfo.message_type: ${env.message_type} does not carry an SAS223`);
    const b = r.data.SAS223.SasPassportBsc;
    const status = b.stucd === '2' || b.stucd === '3' || b.stucd === '4' ? 'passed' : b.stucd === '5' || b.stucd === '6' ? 'cancelled' : 'valid';
    // The boundary is the first gate (一卡); secdPassTime is the second, in two-gate zones.
    const passedAt = b.passTime ?? b.secdPassTime ?? null;
    if (status === 'passed' && passedAt === null) throw invalid('SAS223.SasPassportBsc.passTime: required when stucd says the vehicle passed');
    const pass: PassReceipt = { passportNo: b.passportNo, plate: b.vehicleNo ?? null, status, passedAt, gateWeight: b.passCollectWt ?? null, stucd: b.stucd };
    return {
      messageId: env?.message_id ?? `SAS223-${b.passportNo}-${b.stucd}`,
      messageType: 'SAS223',
      ...(env?.send_time !== undefined && { sentAt: env.send_time }),
      doc: { kind: 'pass', pass },
    };
  }
  throw invalid('BussinessData: expected PassPortMessage (SAS121) or SAS223');
}
