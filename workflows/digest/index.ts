export {
  digestWorkflow,
  DIGEST_UNDELIVERED,
  INVALID_DIGEST_PERIOD,
  type DigestWorkflowInput,
  type DigestWorkflowResult,
} from './digest-workflow.js';
