// The parts of @aws-sdk/client-organizations the service uses, loaded on first use (lib/adapters/aws/loadSdk):
// only a service whose S3IR_ALLOWED_ACCOUNTS names an organization or OU asks Organizations anything.
export {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
