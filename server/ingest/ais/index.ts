// AIS NMEA ingest: sentence parsing, multi-sentence reassembly, message decoding, conversion to
// position reports and vessel static data, and the TCP / UDP / TCP-client listeners.
export { AisAssembler, type AisAssemblerHandlers, type AisAssemblerOptions, type AisRejectReason } from './assembler';
export { AisDecoder, decodeAisLines, type AisDecoderOptions, type AisDecodeSummary, type AisLineOutput } from './decoder';
export { aisToJson, aisToReport, aisToStatic, etaText, AIS_VESSEL_POSITION_TYPES } from './convert';
export { LineFramer, type LineFramerHandlers } from './framer';
export {
  AIS_DEFAULT_PORT,
  startAisTcpClient,
  startAisTcpServer,
  startAisUdpListener,
  type AisListenerHandle,
  type AisTcpClientHandle,
  type AisTcpClientOptions,
  type AisTcpServerOptions,
  type AisUdpListenerOptions,
} from './listener';
export { AIS_DECODED_TYPES, decodePayload, type AisMessage } from './messages';
export type * from './messages';
export { buildSentence, nmeaChecksum, parseSentence, type SentenceResult, type TagBlock, type VdmSentence } from './nmea';
export { AIS_ALLOW_DEFAULT, AllowListError, parseAddressAllow, type AddressAllow } from './allow';
export { AIS_PLAUSIBILITY, AisTrackGate, confirms, consistent, type AisTrackGateOptions, type GateOutcome, type PlausibilityRule } from './plausibility';
export { gatedAisSink } from './gatedSink';
