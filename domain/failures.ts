/**
 * Coded failures. Workflows and activities throw or return these codes (as the `type` of an
 * ApplicationFailure, or in a refusal); only the chat edge turns them into words for a person.
 */
export enum FailureCode {
  // Authorisation
  RoleNotPermitted = 'ROLE_NOT_PERMITTED',
  NotResponderForAuthority = 'NOT_RESPONDER_FOR_AUTHORITY',
  // Request state
  RequestClosed = 'REQUEST_CLOSED',
  AlreadyAcknowledged = 'ALREADY_ACKNOWLEDGED',
  OfferAlreadyAccepted = 'OFFER_ALREADY_ACCEPTED',
  NoBedOffered = 'NO_BED_OFFERED',
  QuestionNotFound = 'QUESTION_NOT_FOUND',
  /** The button or card names a request the engine does not know (purged, very old, or forged). */
  RequestNotFound = 'REQUEST_NOT_FOUND',
  QuestionAlreadyAnswered = 'QUESTION_ALREADY_ANSWERED',
  DuplicateAction = 'DUPLICATE_ACTION',
  /** A stay is already recorded: the child is held, a bed still sought (docs/legal-rules.md). */
  StayAlreadyRecorded = 'STAY_ALREADY_RECORDED',
  /** The time the child left the cells is in the future. */
  LeftCellsInFuture = 'LEFT_CELLS_IN_FUTURE',
  // Law (PACE Code C Note 16D, s.38(6))
  StayReasonBehaviour = 'STAY_REASON_BEHAVIOUR',
  StayReasonOffence = 'STAY_REASON_OFFENCE',
  StayReasonNoSecureBedNotSecureRequest = 'STAY_REASON_NO_SECURE_BED_NOT_SECURE_REQUEST',
  StayReasonNoSecureBedUnder12 = 'STAY_REASON_NO_SECURE_BED_UNDER_12',
  StayReasonBedWasOffered = 'STAY_REASON_BED_WAS_OFFERED',
  /** The stay's explanation gives a ground Note 16D rules out (`params.ground`: domain/legal/note-16d-screen.ts). */
  StayExplanationNote16D = 'STAY_EXPLANATION_NOTE_16D',
  DeclineNoSecureBedNotSecureRequest = 'DECLINE_NO_SECURE_BED_NOT_SECURE_REQUEST',
  SecureUnder12 = 'SECURE_UNDER_12',
  OfferTypeMismatch = 'OFFER_TYPE_MISMATCH',
  TransferBeforeCharge = 'TRANSFER_BEFORE_CHARGE',
  TransferInFuture = 'TRANSFER_IN_FUTURE',
  // Countersignature of the certificate by an inspector (docs/legal-rules.md, a protocol option)
  /** No stay is recorded, so there is no certificate to countersign. */
  NoCertificateToCountersign = 'NO_CERTIFICATE_TO_COUNTERSIGN',
  /** The protocol did not ask for this certificate to be countersigned. */
  CountersignNotRequired = 'COUNTERSIGN_NOT_REQUIRED',
  CertificateAlreadyCountersigned = 'CERTIFICATE_ALREADY_COUNTERSIGNED',
  /** The custody officer who certified may not countersign their own certificate. */
  CountersignOwnCertificate = 'COUNTERSIGN_OWN_CERTIFICATE',
  // Input and configuration
  InvalidInput = 'INVALID_INPUT',
  UnknownCustodySuite = 'UNKNOWN_CUSTODY_SUITE',
  UnknownLocalAuthority = 'UNKNOWN_LOCAL_AUTHORITY',
  AlreadyOpen = 'ALREADY_OPEN',
  /** The custody record's request has ended, other than as entered in error: nothing new starts. */
  RecordAlreadyClosed = 'RECORD_ALREADY_CLOSED',
  // Delivery
  ChatRateLimited = 'CHAT_RATE_LIMITED',
  ChatUnavailable = 'CHAT_UNAVAILABLE',
  NoConversationReference = 'NO_CONVERSATION_REFERENCE',
  ChatRejected = 'CHAT_REJECTED',
}

/** A refused action: the code and the facts needed to explain it. Changes nothing. */
export interface Refusal {
  code: FailureCode;
  /** Plain facts for the message (names, times, reason labels). Never personal data of the child. */
  params?: Record<string, string | number>;
}
