/**
 * What the sergeant is told when a request starts again on a custody record whose earlier request
 * was cancelled as entered in error (docs/legal-rules.md, "Correcting a mistake").
 */
export const CORRECTION_TEXT =
  'It replaces the earlier request on this custody record, which was cancelled as entered in error: ' +
  'that one stays in the history, linked to this one in the audit log.';
