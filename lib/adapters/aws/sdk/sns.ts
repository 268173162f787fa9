// The parts of @aws-sdk/client-sns the service uses, loaded with the first alert (lib/adapters/aws/loadSdk).
export { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
