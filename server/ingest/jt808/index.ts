// JT/T 808 (2013 and 2019 editions): the Chinese national vehicle terminal protocol.
// See README.md in this folder for the message flow and the choices made where the standard leaves room.
export { encodeFrame, parseFrame, escapeBytes, unescapeBytes, xorCheck, hexToBytes, msgIdHex } from './codec';
export type { Jt808Edition, Jt808Header, Jt808Frame, Jt808OutMessage, FrameRejectReason } from './codec';
export { Jt808Framer, DEFAULT_MAX_FRAME_BYTES, MIN_FRAME_BYTES } from './framer';
export type { FramerEvents, FramerRejectReason } from './framer';
export { JT808_ALARM_BITS, JT808_ALARM_BITS_ZH, JT808_STATUS_BITS, JT808_TAMPER_ALARM_MASK, JT808_ROUTE_ALARM_MASK, decodeAlarm, decodeStatus } from './alarms';
export {
  MSG,
  RESULT,
  decodeLocation,
  decodeBatch,
  decodeRegistration,
  decodeAuth,
  decodeGeneralResponse,
  decodeRegistrationResponse,
  encodeLocationBody,
  encodeBatchBody,
  encodeRegistrationBody,
  encodeAuthBody,
  encodeGeneralResponseBody,
  encodeRegistrationResponseBody,
  decodeBcdTime,
  encodeBcdTime,
} from './messages';
export type { Jt808Location, Jt808Extras, Jt808Batch, Jt808Registration, Jt808Auth, Jt808LocationInput, Jt808RegistrationInput } from './messages';
export { Jt808TerminalRegistry } from './registry';
export type { AuthCheck, Jt808TerminalRegistryOptions } from './registry';
export { REGISTER_RESULT } from './authority';
export type { Jt808Authority, Jt808Identity, Jt808AuthOutcome, Jt808RegisterOutcome } from './authority';
export { Jt808Session } from './session';
export type { Jt808SessionOptions, Jt808SessionStats } from './session';
export { startJt808Server, JT808_DEFAULT_PORT } from './listener';
export type { Jt808Server, Jt808ServerOptions } from './listener';
export { Jt808Terminal } from './terminal';
export type { Jt808TerminalOptions, Jt808Reply } from './terminal';
export { decodeFrameHex, decodeHexStream, describeFrame } from './decodeHex';
export type { Jt808Decoded, Jt808DecodedLocation } from './decodeHex';
