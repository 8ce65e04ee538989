/**
 * What the sergeant is told when the workflow engine could not be reached and the request was
 * kept to start later (status `queued`, docs/queued-submits.md). The start happens by itself, so
 * the words say plainly not to submit again: a second submit would only be told the same.
 */
export function queuedSubmitText(custodyRecordNumber: string): string {
  return (
    'Concordat cannot reach its workflow engine just now. Your request for custody record ' +
    `${custodyRecordNumber} is saved and will start automatically as soon as it is back; ` +
    'you do not need to submit it again. The request cards will follow once it starts.'
  );
}
