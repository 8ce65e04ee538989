import { ApplicationFailure } from '@temporalio/common';
import type { BedRequestInput } from '../../domain/bed-request.js';
import { FailureCode } from '../../domain/failures.js';
import type { Protocol } from '../../domain/protocol.js';
import {
  RoutingError,
  snapshotFor,
  type BankHolidayLookup,
  type ProtocolSnapshot,
} from '../../domain/routing.js';
import { createBankHolidayLookup } from '../routing/bank-holidays.js';

export interface SnapshotProtocolInput {
  request: Pick<BedRequestInput, 'custodySuiteId' | 'homeLocalAuthorityId'>;
  requestedAt: string;
}

/**
 * Takes the protocol snapshot a request keeps for its whole life: the route decision (office
 * hours, weekends, bank holidays), destinations, the ladder in milliseconds, the contacts it
 * names, the people who may act, the leads and the repeat window.
 */
export function makeSnapshotProtocol(protocol: () => Protocol) {
  const calendars = new Map<string, BankHolidayLookup>();
  // Activities are async by contract; this one has nothing to wait for.
  // eslint-disable-next-line @typescript-eslint/require-await
  return async function snapshotProtocol(input: SnapshotProtocolInput): Promise<ProtocolSnapshot> {
    const p = protocol();
    let lookup = calendars.get(p.bankHolidayRegion);
    if (!lookup) {
      lookup = createBankHolidayLookup(p.bankHolidayRegion);
      calendars.set(p.bankHolidayRegion, lookup);
    }
    try {
      return snapshotFor(p, input.request, input.requestedAt, lookup);
    } catch (err) {
      if (err instanceof RoutingError) {
        throw ApplicationFailure.nonRetryable(
          err.message,
          err.code === 'unknown_custody_suite'
            ? FailureCode.UnknownCustodySuite
            : FailureCode.UnknownLocalAuthority,
          { id: err.id },
        );
      }
      throw err;
    }
  };
}
