// The parts of @aws-sdk/client-kms the service uses, loaded on first use (lib/adapters/aws/loadSdk): naming them
// lets esbuild leave the package's other commands out of the bundle, as a static import would.
export {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetPublicKeyCommand,
  KMSClient,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  SignCommand,
} from '@aws-sdk/client-kms';
