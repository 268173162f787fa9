// The parts of @aws-sdk/client-sts the service uses, loaded on first use (lib/adapters/aws/loadSdk): only a named
// account (the home account's id, or a role to assume in another) needs STS.
export { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
