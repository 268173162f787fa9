// The parts of @aws-sdk/client-resource-groups-tagging-api the service uses, loaded with the first tag
// query (lib/adapters/aws/loadSdk): only templates that select buckets by tag need it.
export {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
