/**
 * The training run's own Temporal namespace (docs/sandbox.md, "Training never touches real
 * records"). A dev server started for the sandbox is created with it; a Temporal server that was
 * already running (reused) may not have it yet, so it is registered here when missing.
 */
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';

/** One day of retention: training histories are not records. */
const RETENTION = '1 day';

export async function ensureTrainingNamespace(
  options: ConnectionOptions,
  namespace: string,
): Promise<'present' | 'created'> {
  const connection = await Connection.connect(options);
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return 'present';
    } catch {
      await connection.workflowService.registerNamespace({
        namespace,
        description: 'Concordat training sandbox: no real records',
        workflowExecutionRetentionPeriod: msToTs(RETENTION),
      });
      // A new namespace takes a moment to be served.
      for (let i = 0; i < 50; i++) {
        try {
          await connection.workflowService.describeNamespace({ namespace });
          return 'created';
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      return 'created';
    }
  } finally {
    await connection.close();
  }
}
