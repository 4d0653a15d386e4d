// JT/T 809 (2011 and 2019 editions): the upper-platform server for lower (transport) platforms.
// See README.md in this folder for the link flow and the choices made where the standard leaves room.
export { encodeFrame, parseFrame, escapeBytes, unescapeBytes, crc16, jt809Cipher, guessEdition, msgIdHex } from './codec';
export type { Jt809Edition, Jt809Header, Jt809Frame, Jt809OutMessage, Jt809CipherKeys } from './codec';
export { Jt809Framer } from './framer';
export * from './messages';
export { Jt809PlatformRegistry, plateKey } from './authority';
export type { Jt809Authority, Jt809PlatformIdentity, Jt809LoginOutcome, Jt809VehicleOutcome } from './authority';
export { Jt809Session } from './session';
export { startJt809Server, JT809_DEFAULT_PORT } from './listener';
export { Jt809Platform } from './platform';
export { decodeHexStream, describeFrame } from './decodeHex';
