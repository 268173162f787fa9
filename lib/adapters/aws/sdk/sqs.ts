// The parts of @aws-sdk/client-sqs the service uses, loaded on first use (lib/adapters/aws/loadSdk): the reconcile
// function holds the queue but only changes a message's visibility after a failure.
export { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
